-- The problems of every rejected file, in the order they were found.
select p.sha256, p.severity, p.sheet, p.row, p.col, p.label, p.value, p.message, p.hint
from problems as p
join files as f on f.sha256 = p.sha256
where f.outcome = 'rejected'
order by p.sha256, p.seq;
