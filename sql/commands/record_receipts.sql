-- Every name a content arrived under; the first arrival's time is kept.
insert or ignore into receipts
select unnest($sha256s::varchar[]), unnest($file_names::varchar[]), $received_at;
