select distinct month
from latest_submissions
where body_key = $body_key and fiscal_year = $fiscal_year
order by month;
