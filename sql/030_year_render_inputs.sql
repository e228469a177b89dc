-- Grain: one row per (body_key, fiscal_year) with a setup: what each of that
-- year's documents is made from in the store, and what each was last written
-- from. ita/documents.py makes one fingerprint per document of these: the
-- memo of the setup alone, a monthly report of the sheets of its month and
-- the months before, the status workbook of every file of the year, each
-- division's form of its last sheet (sql/025_form_inputs.sql).
create or replace view year_render_inputs as
with year_files as (
    select
        body_key,
        fiscal_year,
        count(*) as n_files,
        max(accepted_seq) as last_accepted,
        max(processed_at) as last_processed
    from files
    where body_key is not null and fiscal_year is not null
    group by body_key, fiscal_year
),

month_sheets as (
    -- The sheets that count for a month, in one digest: a resubmitted sheet changes its month's.
    select
        body_key,
        fiscal_year,
        month,
        md5(string_agg(sha256, ',' order by sha256)) as sheets
    from latest_submissions
    group by body_key, fiscal_year, month
),

year_months as (
    select
        body_key,
        fiscal_year,
        list({'month': month, 'sheets': sheets} order by month) as months
    from month_sheets
    group by body_key, fiscal_year
),

written as (
    select
        body_key,
        fiscal_year,
        list({'document': document, 'path': path, 'current': current, 'fingerprint': fingerprint}) as written
    from documents
    group by body_key, fiscal_year
),

final as (
    select
        s.body_key,
        s.body,
        s.fiscal_year,
        s.sha256 as setup,
        coalesce(f.n_files, 0) as n_files,
        f.last_accepted,
        f.last_processed,
        m.months,
        w.written,
        fi.forms,
        fi.next_year_has_setup
    from latest_setups as s
    left join year_files as f on f.body_key = s.body_key and f.fiscal_year = s.fiscal_year
    left join year_months as m on m.body_key = s.body_key and m.fiscal_year = s.fiscal_year
    left join written as w on w.body_key = s.body_key and w.fiscal_year = s.fiscal_year
    left join form_inputs as fi on fi.body_key = s.body_key and fi.fiscal_year = s.fiscal_year
)

select * from final;
