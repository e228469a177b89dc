-- Written and remembered (remember_renders): no longer in the journal.
delete from outbox_writes where list_contains($paths::varchar[], path);
