package ispdb.db;

/**
 * What a large load into a small table runs around its rows where the database has it (see Loader): the
 * per-row foreign-key checks off (PostgreSQL: the parents locked against writers and the triggers skipped;
 * MariaDB: foreign_key_checks), and back on. On SQLite (whose loads run without the per-row foreign-key checks
 * anyway, and whose bulk load drops and rebuilds the secondary indexes, see {@link SchemaMapper#secondaryIndexes})
 * they size the page cache for the load and back; ask {@link TableRows#bulkLoad} first.
 */
public interface BulkLoadStatements {
    void beforeBulkLoad();

    /** PostgreSQL: undoes beforeBulkLoad when the database refused it (a lock not granted, a setting not allowed). */
    void bulkLoadRefused();

    void afterBulkLoad();
}
