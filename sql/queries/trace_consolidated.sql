-- The consolidated report's bullets of one body's year, with where each was first reported.
select measure_no, field, text, division, month, sha256, sheet, row, line_no
from consolidated_bullets
where body_key = $body_key and fiscal_year = $fiscal_year
order by measure_no, field, position;
