-- Grain: one row per (sha256): each file content ever processed. Accepted files are
-- received (the sheet or setup that counts) or superseded (another counts);
-- rejected files carry their first error.
create or replace view file_status as
with first_error as (
    select sha256, arg_min(message, seq) as message, arg_min(sheet, seq) as sheet,
           arg_min(row, seq) as row, arg_min(col, seq) as col, count(*) as n_errors
    from problems
    where severity = 'error'
    group by sha256
),

final as (
    select
        f.sha256,
        f.file_name,
        f.kind,
        f.body_key,
        f.body,
        f.fiscal_year,
        f.division,
        f.month,
        f.processed_at,
        case
            when f.outcome = 'rejected' then 'rejected'
            when f.kind = 'monthly' and l.sha256 is null then 'superseded'
            when f.kind = 'setup' and ls.sha256 is null then 'superseded'
            else 'received'
        end as status,
        e.message as first_error,
        coalesce(e.n_errors, 0) as n_errors
    from files as f
    -- An accepted file is filed under its own sheet's body and year (a
    -- sheet's year has a setup, else it is rejected: ita.records.filing_year),
    -- so joining on them too changes no row, and lets a filter on the body
    -- and year reach the ranking of the sheets: without it, one body's
    -- files rank every body's sheets (docs/performance.md).
    left join latest_submissions as l
        on l.sha256 = f.sha256 and l.body_key = f.body_key and l.fiscal_year = f.fiscal_year
    left join latest_setups as ls
        on ls.sha256 = f.sha256 and ls.body_key = f.body_key and ls.fiscal_year = f.fiscal_year
    left join first_error as e on e.sha256 = f.sha256
)

select * from final;
