-- The fiscal calendar and when a month's report is due: the one definition
-- of these rules, used by every model and query (docs/store.md).
-- Code, not data, so no migration: ita.store.Store stores them with the
-- models on open (so the views work from any DuckDB client too) and makes
-- them again as temporary macros on every connection, read-only ones too,
-- so the program never meets a copy stored by an older version of itself.
-- ita.thai.fiscal_year and ita.thai.fiscal_months are their Python twins for
-- code that has no store (reading a sheet, naming a template's months);
-- tests/test_sql_models.py holds the twins to these macros.

-- The Buddhist-Era fiscal year of a month (any day of it): 1 October to
-- 30 September, named by the year it ends in.
create or replace macro fiscal_year_of(d) as
    year(d) + 543 + case when month(d) >= 10 then 1 else 0 end;

-- A month's place in its fiscal year: October is 1, September 12.
create or replace macro fiscal_month_no(d) as (month(d) + 2) % 12 + 1;

-- The first day of a fiscal year: 1 October of the Christian-Era year before.
create or replace macro fiscal_year_start(fiscal_year) as make_date(fiscal_year - 544, 10, 1);

-- The twelve months of a fiscal year (their first days), October first.
create or replace macro fiscal_months(fiscal_year) as
    list_transform(range(0, 12), lambda i: cast(fiscal_year_start(fiscal_year) + to_months(i) as date));

-- The due rule: a month's report is due once the month is
-- over, i.e. from the first day of the next month.
create or replace macro month_is_due(m, today) as today >= cast(m + interval 1 month as date);

-- A month's status as shown on `today`: a missing report of a month that is
-- not over yet is not due (not_due), not missing.
create or replace macro status_on(status, m, today) as
    case when status = 'missing' and not month_is_due(m, today) then 'not_due' else status end;

-- How many months of a fiscal year are due on `today` (0 to 12).
create or replace macro months_due(fiscal_year, today) as
    list_count(list_filter(fiscal_months(fiscal_year), lambda m: month_is_due(m, today)));
