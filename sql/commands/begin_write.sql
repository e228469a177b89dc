insert or replace into outbox_writes values ($path, $sha256);
