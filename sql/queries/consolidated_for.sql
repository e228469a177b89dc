-- The year's bullets per measure and field, in the order first reported.
select measure_no, field, text, division, month, sha256, sheet, row
from consolidated_bullets
where body_key = $body_key and fiscal_year = $fiscal_year
order by measure_no, field, position;
