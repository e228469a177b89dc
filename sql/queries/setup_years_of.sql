-- The fiscal years of one body that have a setup.
select distinct fiscal_year
from latest_setups
where body_key = $body_key
order by fiscal_year;
