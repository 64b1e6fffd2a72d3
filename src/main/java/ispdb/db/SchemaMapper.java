package ispdb.db;

import java.util.List;

/** Questions about the schema itself. */
public interface SchemaMapper {
    /** Versions of the successful migrations recorded by Flyway; fails if there is no history table. */
    List<String> installedVersions();

    /** Whether the database (its current schema, on PostgreSQL) has a table of this name, from its catalog. */
    boolean hasTable(String tableName);

    /** Rows in one of the four tables, named by its table name (any other name is refused by the mapper). */
    long countRows(String tableName);

    /**
     * The table's secondary indexes, read from the catalog (the statement exists for the databases whose bulk load
     * may build its indexes once at the end, see {@link #hasSecondaryIndexes}: SQLite, and PostgreSQL into a
     * database the command has just created).
     */
    List<SecondaryIndex> secondaryIndexes(String tableName);

    /**
     * PostgreSQL: before a bulk load drops indexes (a savepoint and a short lock timeout; see {@link
     * #dropLocksReaders}), after the drops, and when a drop was refused (back to the savepoint).
     */
    void beforeIndexDrop();

    void afterIndexDrop();

    void indexDropRefused();

    /** SQLite: a small page cache for a read-once scan of every table (copy's source), and the usual one back. */
    void beforeScan();

    void afterScan();

    /** Whether {@code beforeScan} exists for this database. */
    static boolean hasScanSettings(org.apache.ibatis.session.Configuration configuration) {
        return has(configuration, "beforeScan");
    }

    /**
     * SQLite only: the statements Database.writeSession runs on the session's connection to take the write lock
     * first (it reads their SQL: they must run outside MyBatis' transaction handling).
     */
    void endDeferredTransaction();

    void useWriteAheadLog();

    void beginDeferredTransaction();

    void beginWriteTransaction();

    /** PostgreSQL, MariaDB: init-schema's lock timeout for its DDL (Schema reads its SQL). */
    void migrationLockTimeout();

    /** Whether this database's bulk load rebuilds the table's indexes ({@code secondaryIndexes} exists for it). */
    static boolean hasSecondaryIndexes(org.apache.ibatis.session.Configuration configuration) {
        return has(configuration, "secondaryIndexes");
    }

    /**
     * Whether dropping an index makes this database's readers wait until commit ({@code beforeIndexDrop} exists
     * for it: PostgreSQL; on SQLite, in WAL mode, readers read the last committed state meanwhile).
     */
    static boolean dropLocksReaders(org.apache.ibatis.session.Configuration configuration) {
        return has(configuration, "beforeIndexDrop");
    }

    /** Whether this database has the statement behind one of these methods (the others exist for some only). */
    private static boolean has(org.apache.ibatis.session.Configuration configuration, String method) {
        return configuration.hasStatement(SchemaMapper.class.getName() + "." + method);
    }
}
