-- One body's year, with how many of its months are due on $today (the
-- status workbook changes when one more is).
with final as (
    select
        *,
        months_due(fiscal_year, $today) as months_due
    from year_render_inputs
    where body_key = $body_key and fiscal_year = $fiscal_year
)

select * from final;
