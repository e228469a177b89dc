-- Grain: one row per (body_key, fiscal_year, month, division, measure_no):
-- what a division reported on a measure in the sheet that counts for that month.
create or replace view monthly_progress as
with final as (
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
    from latest_submissions as s
    join submission_rows as r using (sha256)
)

select * from final;
