-- Every body with a setup for the fiscal year (the setup that counts).
select ls.body_key, ls.body, ls.sha256
from latest_setups as ls
where ls.fiscal_year = $fiscal_year
order by ls.body, ls.body_key;
