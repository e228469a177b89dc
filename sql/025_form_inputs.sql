-- Grain: one row per (body_key, fiscal_year) with a setup: what its forms are
-- made from (ita/forms.py). Per division of the setup, in the setup's order:
-- the latest month it reported and the sheet that counts for that month
-- (null for both when it has not reported); and whether the next fiscal
-- year already has a setup (then next year's pre-filled setup is not needed).
create or replace view form_inputs as
with last_reported as (
    select
        body_key,
        fiscal_year,
        division,
        month,
        sha256,
        row_number() over (partition by body_key, fiscal_year, division order by month desc) as rank
    from latest_submissions
),

division_forms as (
    select
        s.body_key,
        s.fiscal_year,
        list({'division': d.division, 'month': l.month, 'sheet': l.sha256} order by d.seq) as forms
    from latest_setups as s
    join setup_divisions as d on d.sha256 = s.sha256
    left join last_reported as l
        on l.body_key = s.body_key and l.fiscal_year = s.fiscal_year and l.division = d.division and l.rank = 1
    group by s.body_key, s.fiscal_year
),

final as (
    select
        s.body_key,
        s.fiscal_year,
        f.forms,
        exists (
            select 1 from latest_setups as n where n.body_key = s.body_key and n.fiscal_year = s.fiscal_year + 1
        ) as next_year_has_setup
    from latest_setups as s
    left join division_forms as f on f.body_key = s.body_key and f.fiscal_year = s.fiscal_year
)

select * from final;
