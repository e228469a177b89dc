-- The stored facts. Every row keeps its lineage: the file's sha256 and the
-- Excel row (and column where one cell is the fact).

create sequence if not exists accepted_seq start 1;

-- One row per distinct file content ever seen in the inbox.
create table if not exists files (
    sha256        varchar primary key,
    file_name     varchar not null,   -- the name it last arrived under
    size          bigint not null,
    saved_at      timestamp,          -- the workbook's own save time, else the file's mtime
    kind          varchar not null,   -- setup | monthly | unknown
    outcome       varchar not null,   -- accepted | rejected
    stored_path   varchar not null,   -- under data/archive or data/quarantine
    body          varchar,
    body_key      varchar,
    fiscal_year   integer,
    division      varchar,
    month         date,               -- first day of the reported month
    accepted_seq  bigint,             -- order of acceptance; null when rejected
    processed_at  timestamp not null
);

-- Every name a content arrived under, duplicates included (first arrival kept).
create table if not exists receipts (
    sha256       varchar not null,
    file_name    varchar not null,
    received_at  timestamp not null,
    primary key (sha256, file_name)
);

create table if not exists problems (
    sha256    varchar not null,
    seq       integer not null,
    severity  varchar not null,
    sheet     varchar,
    row       integer,
    col       integer,
    label     varchar,
    value     varchar,
    message   varchar not null,
    hint      varchar
);

create table if not exists setups (
    sha256          varchar primary key,
    body            varchar not null,
    body_key        varchar not null,
    fiscal_year     integer not null,
    owner_division  varchar not null,
    doc_no          varchar not null,
    address         varchar not null,
    phone           varchar,
    emblem          varchar,
    accepted_seq    bigint not null
);

create table if not exists setup_divisions (
    sha256    varchar not null,
    seq       integer not null,
    division  varchar not null
);

create table if not exists signatories (
    sha256    varchar not null,
    seq       integer not null,
    role      varchar not null,
    name      varchar not null,
    position  varchar not null
);

create table if not exists measures (
    sha256       varchar not null,
    no           integer not null,
    grp          varchar not null,
    title        varchar not null,
    steps        varchar[] not null,
    responsible  varchar[] not null,
    period       varchar not null,
    divisions    varchar[] not null,
    row          integer not null
);

create table if not exists guidelines (
    sha256  varchar not null,
    no      integer not null,
    text    varchar not null
);

create table if not exists ita_scores (
    sha256  varchar not null,
    key     varchar not null,   -- ภาพรวม | 1..10 | IIT | EIT | OIT
    name    varchar,
    year    integer not null,   -- BE
    score   double not null,
    row     integer not null,
    col     integer not null
);

create table if not exists ita_levels (
    sha256  varchar not null,
    year    integer not null,
    level   varchar not null,
    row     integer not null,
    col     integer not null
);

create table if not exists submissions (
    sha256        varchar primary key,
    body          varchar not null,
    body_key      varchar not null,
    fiscal_year   integer not null,
    division      varchar not null,
    month         date not null,
    reporter      varchar not null,
    position      varchar,
    report_date   date,
    saved_at      timestamp,
    sheet         varchar not null,
    accepted_seq  bigint not null
);

create table if not exists submission_rows (
    sha256         varchar not null,
    row            integer not null,
    measure_no     integer not null,
    measure_title  varchar,
    activity       varchar,
    result         varchar,
    outcome        varchar,
    status         varchar,
    progress       double,
    evidence       varchar,
    remark         varchar
);

-- The result and outcome cells split into their bullets (one per line).
create table if not exists submission_bullets (
    sha256   varchar not null,
    row      integer not null,
    field    varchar not null,   -- result | outcome
    line_no  integer not null,
    text     varchar not null,
    key      varchar not null    -- bullet identity: no leading dash, spacing or digit script
);

-- What each document was rendered from, so unchanged inputs are not rendered again.
create table if not exists renders (
    path         varchar primary key,
    fingerprint  varchar not null,
    sha256       varchar not null
);

-- One row per document of a body's year that the product owns (ita/documents.py):
-- the fingerprint of what it was last made from, and where its latest version is.
create table if not exists documents (
    body_key     varchar not null,
    fiscal_year  integer not null,
    document     varchar not null,   -- memo | report | monthly:YYYY-MM | status
    path         varchar not null,   -- its own place in the outbox
    current      varchar not null,   -- its latest version: path, a new version beside a hand-edited one, or '' (nothing to write)
    fingerprint  varchar not null,
    primary key (body_key, fiscal_year, document)
);

-- A file being written into the outbox, remembered before it is written: a
-- crash between writing it and remembering it (renders) must not make the
-- product's own file look edited by hand.
create table if not exists outbox_writes (
    path    varchar primary key,
    sha256  varchar not null
);
