select division, division_seq, month, status, n_received, n_rejected
from submission_status
where body_key = $body_key and fiscal_year = $fiscal_year
order by division_seq, month;
