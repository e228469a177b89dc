select key, name, year, score, row, col from ita_scores where sha256 = $sha256 order by year, row;
