select nextval('accepted_seq');
