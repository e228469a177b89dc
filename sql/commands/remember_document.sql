insert or replace into documents values ($body_key, $fiscal_year, $document, $path, $current, $fingerprint);
