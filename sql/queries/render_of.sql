-- What the product wrote at one outbox path (renders), and what it was about
-- to write there when a run stopped (outbox_writes).
select
    (select fingerprint from renders where path = $path) as fingerprint,
    (select sha256 from renders where path = $path) as sha256,
    (select sha256 from outbox_writes where path = $path) as pending
