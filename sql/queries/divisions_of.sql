select division from setup_divisions where sha256 = $sha256 order by seq;
