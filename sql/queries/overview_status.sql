-- Every division-month of every body's fiscal year, as shown on $today (as
-- `ita status` shows them).
with final as (
    select body_key, division, division_seq, month, status_on(status, month, $today) as status
    from submission_status
    where fiscal_year = $fiscal_year
)

select * from final
order by body_key, division_seq, month;
