-- Every division's rows for the months of one body's fiscal year.
select *
from monthly_progress
where body_key = $body_key and fiscal_year = $fiscal_year
order by month, division, measure_no, row;
