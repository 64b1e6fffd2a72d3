-- ispdb schema version 4 for PostgreSQL: the load claims, one row per file content (its SHA-256, after
-- decompression) whose first load into a table that refuses a repeat (clv_prediction) committed without --again.
-- Its primary key is what makes concurrent loads of the same file land once: the database refuses the second
-- claim, whichever job or session makes it.

CREATE TABLE IF NOT EXISTS load_claim (
    table_name  TEXT NOT NULL,
    sha256      CHAR(64) NOT NULL,
    PRIMARY KEY (table_name, sha256)
);
