-- The setup that counts for each fiscal year of these bodies.
select *
from latest_setups
where list_contains($body_keys, body_key);
