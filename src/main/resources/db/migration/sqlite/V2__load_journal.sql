-- ispdb schema version 2 for SQLite: the load journal, one row per file that a load-csv or
-- record-prediction --file run committed. Timestamps are text 'YYYY-MM-DD HH:MM:SS.ffffff' in UTC.

CREATE TABLE load_journal (
    load_id        INTEGER PRIMARY KEY AUTOINCREMENT,
    command        TEXT NOT NULL,
    table_name     TEXT NOT NULL,
    file_name      TEXT NOT NULL,
    file_size      INTEGER NOT NULL,
    sha256         TEXT NOT NULL,
    rows_read      INTEGER NOT NULL,
    rows_loaded    INTEGER NOT NULL,
    rows_skipped   INTEGER NOT NULL,
    rows_rejected  INTEGER NOT NULL,
    started_at     TIMESTAMP NOT NULL,
    finished_at    TIMESTAMP NOT NULL,
    ispdb_version  TEXT NOT NULL,
    os_user        TEXT
);

-- "was this file loaded before?"
CREATE INDEX ix_load_journal_sha256 ON load_journal (sha256, table_name);
