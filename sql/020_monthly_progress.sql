-- Grain: one row per (body_key, fiscal_year, month, division, measure_no):
-- what a division reported on a measure in the sheet that counts for that month.
create or replace view monthly_progress as
with sheet_rows as (
    -- The rows of the sheets that count, found by digest and then fetched by
    -- rowid: joined on the digest directly, DuckDB reads every column of
    -- every stored row to give one body's year (docs/performance.md).
    select s.*, r.rowid as row_id
    from latest_submissions as s
    join submission_rows as r using (sha256)
),

final as (
    select
        s.body_key,
        s.fiscal_year,
        s.month,
        s.division,
        s.reporter,
        s.position,
        s.report_date,
        r.measure_no,
        r.measure_title,
        r.activity,
        r.result,
        r.outcome,
        r.status,
        r.progress,
        r.evidence,
        r.remark,
        s.sha256,
        s.sheet,
        r.row
    from sheet_rows as s
    join submission_rows as r on r.rowid = s.row_id
)

select * from final;
