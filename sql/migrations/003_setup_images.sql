-- The emblem (ตราครุฑ) pasted into a setup workbook's หน่วยงาน sheet, checked
-- at ingest (PNG or JPEG, size-limited): one row per setup that has one.
create table setup_images (
    sha256  varchar primary key,
    data    blob not null
);
