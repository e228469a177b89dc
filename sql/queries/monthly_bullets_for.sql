-- The bullets each month's executive report prints, for one body's fiscal year.
select month, division, measure_no, field, text, sha256, sheet, row, line_no
from monthly_new_bullets
where body_key = $body_key and fiscal_year = $fiscal_year
order by month, division, measure_no, row, field, line_no;
