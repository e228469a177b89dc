-- Every division-month of every body's years (of one body unless $body_key
-- is ''), as shown on $today.
with final as (
    select
        body,
        body_key,
        fiscal_year,
        division,
        division_seq,
        month,
        status_on(status, month, $today) as status
    from submission_status
    where $body_key = '' or body_key = $body_key
)

select * from final
order by body_key, fiscal_year, division_seq, month;
