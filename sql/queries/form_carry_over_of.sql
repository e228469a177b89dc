-- What divisions' sheets said, row by row: each division's next monthly form
-- carries its last sheet over. All the sheets of a body's year in one query.
with final as (
    select s.sha256, s.reporter, s.position, r.row, r.measure_no, r.result, r.outcome, r.status, r.progress,
           r.evidence
    from submissions as s
    join submission_rows as r using (sha256)
    where list_contains($sha256s::varchar[], s.sha256)
)

select * from final order by sha256, row;
