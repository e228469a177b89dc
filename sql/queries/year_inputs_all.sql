-- Every (body, fiscal year) that has a setup, with what its documents depend
-- on in the store (as year_inputs.sql) and the fingerprint they were last
-- written from: a quiet night finds what to render in one query.
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
group by s.body_key, s.body, s.fiscal_year
order by s.body_key, s.fiscal_year;
