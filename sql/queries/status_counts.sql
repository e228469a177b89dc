-- How many division-months of each division of every body's years are in
-- each status on $today: the run's Prefect table, one row per division and
-- year (a province has a hundred thousand division-months).
with final as (
    select
        body,
        body_key,
        fiscal_year,
        division,
        division_seq,
        status_on(status, month, $today) as status,
        count(*) as months
    from submission_status
    group by all
)

select * from final
order by body_key, fiscal_year, division_seq, status;
