insert or ignore into receipts values ($sha256, $file_name, $received_at);
