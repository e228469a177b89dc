-- The problems of every rejected file, in the order they were found.
select sha256, severity, sheet, row, col, label, value, message, hint
from problems
where sha256 in (select sha256 from files where outcome = 'rejected')
order by sha256, seq;
