-- What the product wrote at each outbox path, and what it was rendered
-- from. `merge`: see begin_writes.sql.
merge into renders
using (select unnest($paths::varchar[]) as path, unnest($fingerprints::varchar[]) as fingerprint,
              unnest($sha256s::varchar[]) as sha256) as new
on renders.path = new.path
when matched then update set fingerprint = new.fingerprint, sha256 = new.sha256
when not matched then insert (path, fingerprint, sha256) values (new.path, new.fingerprint, new.sha256);
