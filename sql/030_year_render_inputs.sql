-- Grain: one row per (body_key, fiscal_year) with a setup: what that year's
-- documents depend on in the store (changes whenever a file of that body and
-- year is accepted, rejected or processed again) and the fingerprint they
-- were last written from.
create or replace view year_render_inputs as
select
    s.body_key,
    s.body,
    s.fiscal_year,
    count(f.sha256) as n_files,
    max(f.accepted_seq) as last_accepted,
    max(f.processed_at) as last_processed,
    any_value(r.fingerprint) as rendered_fingerprint
from latest_setups as s
left join files as f on f.body_key = s.body_key and f.fiscal_year = s.fiscal_year
left join renders as r on r.path = 'year:' || s.body_key || ':' || s.fiscal_year
group by s.body_key, s.body, s.fiscal_year;
