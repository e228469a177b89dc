-- Every body's year: a quiet night finds what to render in one query. With
-- how many of its months are due on $today (the status workbook changes
-- when one more is).
with final as (
    select
        *,
        months_due(fiscal_year, $today) as months_due
    from year_render_inputs
)

select * from final
order by body_key, fiscal_year;
