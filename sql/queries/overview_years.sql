-- The fiscal years whose setups name more than one body: those get a province overview.
select fiscal_year
from latest_setups
group by fiscal_year
having count(*) > 1
order by fiscal_year;
