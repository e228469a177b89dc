-- Every (body, fiscal year) that has a setup: one set of documents each.
select body_key, body, fiscal_year, sha256
from latest_setups
order by body_key, fiscal_year;
