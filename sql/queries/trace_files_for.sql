-- Every accepted file of one body's year: where its original is archived,
-- every name it arrived under (first arrival first) and when it first came.
with final as (
    select
        f.sha256,
        f.stored_path,
        list(r.file_name order by r.received_at, r.file_name) as file_names,
        min(r.received_at) as received_at
    from files as f
    left join receipts as r using (sha256)
    where f.body_key = $body_key and f.fiscal_year = $fiscal_year and f.outcome = 'accepted'
    group by f.sha256, f.stored_path
)

select * from final
order by sha256;
