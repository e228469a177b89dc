-- Grain: one row per (sha256, row, field, line_no) of the sheets that count
-- (latest_submissions): each line of a result/outcome cell, with the
-- division, month and measure it was reported for.
create or replace view latest_bullets as
with final as (
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
)

select * from final;
