-- Where each column of a monthly sheet's table stood (its 1-based column),
-- so every traced line names its cell (A1). Sheets taken in before this
-- version have no rows here: their lines are traced to the row alone.
create table submission_columns (
    sha256  varchar not null,
    field   varchar not null,   -- activity | result | outcome
    col     integer not null
);
