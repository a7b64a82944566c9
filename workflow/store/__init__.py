"""Where requests are kept: the tables, the database and its migrations, the hash-chained history, the
request repository and the unit of work whose commit is the one place a request changes, and the bulk
writer of imports."""
