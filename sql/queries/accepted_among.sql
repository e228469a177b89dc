-- Which of these files (by sha256) were accepted before: only the batch's own,
-- not every file ever accepted (a national store holds hundreds of thousands).
select sha256 from files where outcome = 'accepted' and list_contains($sha256s, sha256);
