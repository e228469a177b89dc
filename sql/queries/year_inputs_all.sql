-- Every body's year: a quiet night finds what to render in one query.
select * from year_render_inputs order by body_key, fiscal_year;
