select body, body_key, fiscal_year, division, division_seq, month, status
from submission_status
where $body_key = '' or body_key = $body_key
order by body_key, fiscal_year, division_seq, month;
