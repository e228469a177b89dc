-- The Excel column of each traced field in the monthly sheets of one body's year.
with final as (
    select c.sha256, c.field, c.col
    from submission_columns as c
    join submissions as s using (sha256)
    where s.body_key = $body_key and s.fiscal_year = $fiscal_year
)

select * from final;
