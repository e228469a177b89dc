-- The emblem image pasted into one setup workbook, if any.
select data
from setup_images
where sha256 = $sha256;
