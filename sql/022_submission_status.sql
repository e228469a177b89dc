-- Grain: one row per (body_key, fiscal_year, division, month) of every division
-- in the year's setup and every month of the fiscal year: received (a valid
-- sheet counts), rejected (only rejected sheets arrived) or missing.
create or replace view submission_status as
with expected as (
    select
        ls.body_key,
        ls.body,
        ls.fiscal_year,
        d.division,
        d.seq as division_seq,
        unnest(fiscal_months(ls.fiscal_year)) as month
    from latest_setups as ls
    join setup_divisions as d using (sha256)
),

received as (
    select body_key, fiscal_year, division, month, count(*) as n_received
    from submissions
    group by all
),

rejected as (
    select body_key, fiscal_year, division, month, count(*) as n_rejected
    from files
    where outcome = 'rejected' and kind = 'monthly' and month is not null
    group by all
),

final as (
    select
        e.body_key,
        e.body,
        e.fiscal_year,
        e.division,
        e.division_seq,
        e.month,
        coalesce(rc.n_received, 0) as n_received,
        coalesce(rj.n_rejected, 0) as n_rejected,
        case
            when rc.n_received > 0 then 'received'
            when rj.n_rejected > 0 then 'rejected'
            else 'missing'
        end as status
    from expected as e
    left join received as rc using (body_key, fiscal_year, division, month)
    left join rejected as rj using (body_key, fiscal_year, division, month)
)

select * from final;
