delete from documents where body_key = $body_key and fiscal_year = $fiscal_year and document = $document;
