select sha256 from files where outcome = 'accepted';
