-- Files of one body and fiscal year, with their status (for the status workbook).
select *
from file_status
where body_key = $body_key and fiscal_year = $fiscal_year
order by processed_at, file_name;
