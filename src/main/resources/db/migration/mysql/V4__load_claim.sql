-- ispdb schema version 4 for MariaDB and MySQL: the load claims, one row per file content (its SHA-256, after
-- decompression) whose first load into a table that refuses a repeat (clv_prediction) committed without --again.
-- Its primary key is what makes concurrent loads of the same file land once: the database refuses the second
-- claim, whichever job, session or Galera node makes it (Galera: the second to commit fails certification).

CREATE TABLE IF NOT EXISTS load_claim (
    table_name  VARCHAR(64) NOT NULL,
    sha256      CHAR(64) NOT NULL,
    PRIMARY KEY (table_name, sha256)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
