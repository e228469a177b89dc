-- The fiscal years whose setups name more than one body: those get a province overview.
with final as (
    select fiscal_year
    from latest_setups
    group by fiscal_year
    having count(*) > 1
)

select * from final
order by fiscal_year;
