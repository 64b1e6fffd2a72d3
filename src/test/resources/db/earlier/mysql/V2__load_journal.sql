-- ispdb schema version 2 for MariaDB and MySQL: the load journal, one row per file that a load-csv or
-- record-prediction --file run committed. Timestamps in UTC.

CREATE TABLE load_journal (
    load_id        BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    command        VARCHAR(64) NOT NULL,
    table_name     VARCHAR(64) NOT NULL,
    file_name      MEDIUMTEXT NOT NULL,
    file_size      BIGINT NOT NULL,
    sha256         CHAR(64) NOT NULL,
    rows_read      BIGINT NOT NULL,
    rows_loaded    BIGINT NOT NULL,
    rows_skipped   BIGINT NOT NULL,
    rows_rejected  BIGINT NOT NULL,
    started_at     DATETIME(6) NOT NULL,
    finished_at    DATETIME(6) NOT NULL,
    ispdb_version  VARCHAR(64) NOT NULL,
    os_user        VARCHAR(255),
    -- "was this file loaded before?"
    INDEX ix_load_journal_sha256 (sha256, table_name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
