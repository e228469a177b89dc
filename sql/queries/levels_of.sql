select year, level, row, col from ita_levels where sha256 = $sha256 order by year;
