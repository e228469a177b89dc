-- Grain: one row per (body_key, fiscal_year, measure_no, field, key)
-- (key: the bullet's key) of the sheets that count for the months first_month..last_month (first
-- days of months, inclusive): each distinct bullet reported in that period,
-- once, with the place it was first reported within the period: the earliest
-- month, then the division's place in the year's list, then the sheet row and
-- the line within the cell. The year's report is the period of all its months
-- (consolidated_bullets); the half-year report and `ita report` are shorter ones.
create or replace macro period_bullets(first_month, last_month) as table
with setup_division_order as (
    select ls.body_key, ls.fiscal_year, d.division, d.seq as division_seq
    from latest_setups as ls
    join setup_divisions as d using (sha256)
),

in_period as (
    select
        b.*,
        coalesce(o.division_seq, 999999) as division_seq
    from latest_bullets as b
    left join setup_division_order as o
        on o.body_key = b.body_key and o.fiscal_year = b.fiscal_year and o.division = b.division
    where b.month between first_month and last_month
),

first_reported as (
    select
        *,
        row_number() over (
            partition by body_key, fiscal_year, measure_no, field, key
            order by month, division_seq, row, line_no
        ) as occurrence
    from in_period
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
