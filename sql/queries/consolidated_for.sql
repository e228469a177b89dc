-- The year's bullets per measure and field, in the order first reported,
-- with where each was first reported (the report prints them, the trace
-- workbook says where each came from).
select measure_no, field, text, division, month, sha256, sheet, row, line_no
from consolidated_bullets
where body_key = $body_key and fiscal_year = $fiscal_year
order by measure_no, field, position;
