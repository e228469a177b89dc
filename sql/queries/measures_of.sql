select no, grp, title, steps, responsible, period, divisions, row
from measures
where sha256 = $sha256
order by no;
