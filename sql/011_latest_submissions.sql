-- Grain: one row per (body_key, fiscal_year, division, month): the valid
-- monthly sheet that counts. SPEC: the later วันที่รายงาน wins; on a tie, the
-- file saved later; the order of acceptance breaks any remaining tie.
create or replace view latest_submissions as
with ranked as (
    select
        *,
        row_number() over (
            partition by body_key, fiscal_year, division, month
            order by report_date desc nulls last, saved_at desc nulls last, accepted_seq desc
        ) as rank
    from submissions
),

final as (
    select * exclude (rank)
    from ranked
    where rank = 1
)

select * from final;
