-- One row per document of a body's year that the product owns (ita/documents.py):
-- the fingerprint of what it was last made from, and where its latest version is.
create table documents (
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
create table outbox_writes (
    path    varchar primary key,
    sha256  varchar not null
);
