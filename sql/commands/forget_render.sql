delete from renders where path = $path;
