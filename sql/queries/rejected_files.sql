-- Every rejected file with where its report goes (body and year when known).
select f.sha256, f.file_name, f.kind, f.body, f.body_key, f.fiscal_year, f.division, f.month, f.stored_path
from files as f
where f.outcome = 'rejected'
order by f.file_name, f.sha256;
