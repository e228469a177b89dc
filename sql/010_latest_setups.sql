-- Grain: one row per (body_key, fiscal_year): the setup workbook that counts.
-- SPEC: the one saved later wins; on a tie, the one taken in on a later
-- night; then the larger sha256 (arbitrary but fixed; never the file name,
-- which is what the order of acceptance within a night follows).
-- ita.ingest.setup_rank orders the same way for a batch not yet stored.
create or replace view latest_setups as
with ranked as (
    select
        s.*,
        f.saved_at,
        f.processed_at,
        f.file_name,
        row_number() over (
            partition by s.body_key, s.fiscal_year
            order by f.saved_at desc nulls last, f.processed_at desc, s.sha256 desc
        ) as rank
    from setups as s
    join files as f using (sha256)
),

final as (
    select * exclude (rank)
    from ranked
    where rank = 1
)

select * from final;
