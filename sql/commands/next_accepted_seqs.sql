select nextval('accepted_seq') as seq from range($n);
