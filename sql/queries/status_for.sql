-- Every division-month of one body's fiscal year, as shown on $today.
with final as (
    select
        division,
        division_seq,
        month,
        status_on(status, month, $today) as status,
        n_received,
        n_rejected
    from submission_status
    where body_key = $body_key and fiscal_year = $fiscal_year
)

select * from final
order by division_seq, month;
