-- Grain: one row per bullet a monthly executive report prints: a line of a
-- division's result/outcome cell (in the sheet that counts for its month)
-- whose bullet key that division had not reported on that measure and field
-- in an earlier month (nor earlier in the same cell). Clerks copy last
-- month's sheet and add to it; the month's report shows what was added.
create or replace view monthly_new_bullets as
with bullets as (
    select
        s.body_key,
        s.fiscal_year,
        s.month,
        s.division,
        r.measure_no,
        b.field,
        b.key,
        b.text,
        s.sha256,
        s.sheet,
        b.row,
        b.line_no
    from latest_submissions as s
    join submission_rows as r using (sha256)
    join submission_bullets as b on b.sha256 = r.sha256 and b.row = r.row
),

first_reported as (
    select
        *,
        row_number() over (
            partition by body_key, fiscal_year, division, measure_no, field, key
            order by month, row, line_no
        ) as occurrence
    from bullets
),

final as (
    select * exclude (occurrence)
    from first_reported
    where occurrence = 1
)

select * from final;
