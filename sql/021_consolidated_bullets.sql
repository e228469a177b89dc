-- Grain: one row per (body_key, fiscal_year, measure_no, field, key): each
-- distinct bullet (by its key) of the year's result/outcome cells, once, with the
-- place it was first reported. "First" orders by month, then the division's
-- place in the year's list, then the sheet row and the line within the cell:
-- the year is the period of all its months (sql/013_period_bullets.sql).
create or replace view consolidated_bullets as
with final as (
    select * from period_bullets(date '0001-01-01', date '9999-12-01')
)

select * from final;
