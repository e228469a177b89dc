-- Grain: one row per (body_key, fiscal_year, measure_no, field, key): each
-- distinct bullet (by its key) of the year's result/outcome cells, once, with the
-- place it was first reported. "First" orders by month, then the division's
-- place in the year's list, then the sheet row and the line within the cell.
create or replace view consolidated_bullets as
with setup_division_order as (
    select ls.body_key, ls.fiscal_year, d.division, d.seq as division_seq
    from latest_setups as ls
    join setup_divisions as d using (sha256)
),

bullets as (
    select
        b.*,
        coalesce(o.division_seq, 999999) as division_seq
    from latest_bullets as b
    left join setup_division_order as o
        on o.body_key = b.body_key and o.fiscal_year = b.fiscal_year and o.division = b.division
),

first_reported as (
    select
        *,
        row_number() over (
            partition by body_key, fiscal_year, measure_no, field, key
            order by month, division_seq, row, line_no
        ) as occurrence
    from bullets
),

final as (
    select
        body_key,
        fiscal_year,
        measure_no,
        field,
        key,
        text,
        month,
        division,
        sha256,
        sheet,
        row,
        line_no,
        row_number() over (
            partition by body_key, fiscal_year, measure_no, field
            order by month, division_seq, row, line_no
        ) as position
    from first_reported
    where occurrence = 1
)

select * from final;
