-- What a division's sheet said, row by row: the next month's form carries it over.
with final as (
    select s.reporter, s.position, r.row, r.measure_no, r.result, r.outcome, r.status, r.progress, r.evidence
    from submissions as s
    join submission_rows as r using (sha256)
    where s.sha256 = $sha256
)

select * from final order by row;
