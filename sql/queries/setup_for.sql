-- The setup that counts for one body and fiscal year.
select *
from latest_setups
where body_key = $body_key and fiscal_year = $fiscal_year;
