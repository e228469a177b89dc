-- merge, not `insert or replace`: see begin_write.sql.
merge into documents
using (select $body_key as body_key, $fiscal_year::integer as fiscal_year, $document as document, $path as path,
              $current as current, $fingerprint as fingerprint) as new
on documents.body_key = new.body_key and documents.fiscal_year = new.fiscal_year
   and documents.document = new.document
when matched then update set path = new.path, current = new.current, fingerprint = new.fingerprint
when not matched then insert (body_key, fiscal_year, document, path, current, fingerprint)
    values (new.body_key, new.fiscal_year, new.document, new.path, new.current, new.fingerprint);
