select severity, sheet, row, col, label, value, message, hint
from problems
where sha256 = $sha256
order by seq;
