-- Whether the product has recorded any PDF it wrote (its earlier versions did not).
select count(*) as n from renders where path like '%.pdf'
