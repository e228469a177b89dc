-- Grain: one row per (sha256, row, field, line_no) of the sheets that count
-- (latest_submissions): each line of a result/outcome cell, with the
-- division, month and measure it was reported for.
create or replace view latest_bullets as
with sheet_bullets as (
    -- Found by digest, then fetched by rowid (sql/020_monthly_progress.sql says why).
    select s.*, b.rowid as bullet_id
    from latest_submissions as s
    join submission_bullets as b using (sha256)
),

sheet_rows as (
    select s.body_key, s.fiscal_year, s.sha256, r.rowid as row_id
    from latest_submissions as s
    join submission_rows as r using (sha256)
),

row_measures as (
    select s.body_key, s.fiscal_year, r.sha256, r.row, r.measure_no
    from sheet_rows as s
    join submission_rows as r on r.rowid = s.row_id
),

final as (
    select
        s.body_key,
        s.fiscal_year,
        s.month,
        s.division,
        m.measure_no,
        b.field,
        b.key,
        b.text,
        s.sha256,
        s.sheet,
        b.row,
        b.line_no
    from sheet_bullets as s
    join submission_bullets as b on b.rowid = s.bullet_id
    -- Joined on the body and year too, so that a filter on them reaches
    -- both references to latest_submissions.
    join row_measures as m
        on m.body_key = s.body_key and m.fiscal_year = s.fiscal_year and m.sha256 = b.sha256 and m.row = b.row
)

select * from final;
