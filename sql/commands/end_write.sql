delete from outbox_writes where path = $path;
