-- The bullets of one body's year reported in the months $first_month..$last_month,
-- per measure and field, in the order first reported within them.
select measure_no, field, text, division, month, sha256, sheet, row, line_no
from period_bullets($first_month::date, $last_month::date)
where body_key = $body_key and fiscal_year = $fiscal_year
order by measure_no, field, position;
