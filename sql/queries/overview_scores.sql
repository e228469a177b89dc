-- Each body's ITA scores of the fiscal year itself, from the setup that counts.
with final as (
    select ls.body_key, sc.key, sc.score
    from latest_setups as ls
    join ita_scores as sc using (sha256)
    where ls.fiscal_year = $fiscal_year and sc.year = $fiscal_year
)

select * from final
order by body_key, key;
