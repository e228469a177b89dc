-- Files about to be written into the outbox, journaled before the first of
-- them is (ita.outbox_files.Journal). `merge`, not `insert or replace`: the
-- same upsert, at a third of the cost at national scale (docs/performance.md,
-- "Rendering").
merge into outbox_writes
using (select unnest($paths::varchar[]) as path, unnest($sha256s::varchar[]) as sha256) as new
on outbox_writes.path = new.path
when matched then update set sha256 = new.sha256
when not matched then insert (path, sha256) values (new.path, new.sha256);
