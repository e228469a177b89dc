-- Every division-month of every body's fiscal year (as `ita status` shows them).
select body_key, division, division_seq, month, status
from submission_status
where fiscal_year = $fiscal_year
order by body_key, division_seq, month;
