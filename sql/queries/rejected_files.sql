-- Every rejected file with where its report goes (body and year when known),
-- and the report it was last given (its fingerprint; marked_sha256 is '' when
-- no marked copy of the workbook could be made).
select
    f.sha256, f.file_name, f.kind, f.body, f.body_key, f.fiscal_year, f.division, f.month, f.stored_path,
    r.fingerprint as reported_fingerprint, r.sha256 as reported_marked_sha256
from files as f
left join renders as r on r.path = 'rejection:' || f.sha256
where f.outcome = 'rejected'
order by f.file_name, f.sha256;
