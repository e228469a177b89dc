-- What documents of one body's year were written from, and where each one's
-- latest version is (ita.outputs). `merge`: see begin_writes.sql.
merge into documents
using (select $body_key as body_key, $fiscal_year::integer as fiscal_year, unnest($documents::varchar[]) as document,
              unnest($paths::varchar[]) as path, unnest($currents::varchar[]) as current,
              unnest($fingerprints::varchar[]) as fingerprint) as new
on documents.body_key = new.body_key and documents.fiscal_year = new.fiscal_year
   and documents.document = new.document
when matched then update set path = new.path, current = new.current, fingerprint = new.fingerprint
when not matched then insert (body_key, fiscal_year, document, path, current, fingerprint)
    values (new.body_key, new.fiscal_year, new.document, new.path, new.current, new.fingerprint);
