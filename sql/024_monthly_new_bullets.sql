-- Grain: one row per (body_key, fiscal_year, division, measure_no, field, key):
-- each bullet a monthly executive report prints, a line of a
-- division's result/outcome cell (in the sheet that counts for its month)
-- whose bullet key that division had not reported on that measure and field
-- in an earlier month (nor earlier in the same cell). Clerks copy last
-- month's sheet and add to it; the month's report shows what was added.
create or replace view monthly_new_bullets as
with first_reported as (
    select
        *,
        row_number() over (
            partition by body_key, fiscal_year, division, measure_no, field, key
            order by month, row, line_no
        ) as occurrence
    from latest_bullets
),

final as (
    select * exclude (occurrence)
    from first_reported
    where occurrence = 1
)

select * from final;
