-- What a body's year of documents depends on in the store: changes whenever a
-- file of that body and year is accepted, rejected or processed again.
select count(*) as n_files, max(accepted_seq) as last_accepted, max(processed_at) as last_processed
from files
where body_key = $body_key and fiscal_year = $fiscal_year;
