select * from year_render_inputs where body_key = $body_key and fiscal_year = $fiscal_year;
