-- Every rejected file with where its report goes (body and year when known),
-- every name it arrived under (first arrival first: a clerk looks for their
-- own), and the report it was last given (its fingerprint; marked_sha256 is
-- '' when no marked copy of the workbook could be made).
with names as (
    -- The rejected files' names only: a province receives a hundred thousand files a year.
    select sha256, list(file_name order by received_at, file_name) as file_names
    from receipts
    where sha256 in (select sha256 from files where outcome = 'rejected')
    group by sha256
),

final as (
    select
        f.sha256, f.file_name, coalesce(n.file_names, [f.file_name]) as file_names, f.kind, f.body, f.body_key,
        f.fiscal_year, f.division, f.month, f.stored_path,
        r.fingerprint as reported_fingerprint, r.sha256 as reported_marked_sha256
    from files as f
    left join names as n using (sha256)
    left join renders as r on r.path = 'rejection:' || f.sha256
    where f.outcome = 'rejected'
)

select * from final
order by file_name, sha256;
