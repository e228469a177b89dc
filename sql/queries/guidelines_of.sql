select no, text from guidelines where sha256 = $sha256 order by no;
