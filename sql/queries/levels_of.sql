-- The levels announced for each year in a setup's ผลITA sheet (next year's pre-filled setup carries them).
select year, level, row, col from ita_levels where sha256 = $sha256 order by year;
