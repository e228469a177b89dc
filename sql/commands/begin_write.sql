-- merge, not `insert or replace`: the same upsert, at a third of the cost at
-- national scale (docs/performance.md, "Rendering").
merge into outbox_writes
using (select $path as path, $sha256 as sha256) as new
on outbox_writes.path = new.path
when matched then update set sha256 = new.sha256
when not matched then insert (path, sha256) values (new.path, new.sha256);
