-- merge, not `insert or replace`: see begin_write.sql.
merge into renders
using (select $path as path, $fingerprint as fingerprint, $sha256 as sha256) as new
on renders.path = new.path
when matched then update set fingerprint = new.fingerprint, sha256 = new.sha256
when not matched then insert (path, fingerprint, sha256) values (new.path, new.fingerprint, new.sha256);
