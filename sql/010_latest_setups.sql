-- Grain: one row per (body_key, fiscal_year): the setup workbook accepted last.
create or replace view latest_setups as
with ranked as (
    select
        *,
        row_number() over (
            partition by body_key, fiscal_year
            order by accepted_seq desc
        ) as rank
    from setups
)
select * exclude (rank)
from ranked
where rank = 1;
