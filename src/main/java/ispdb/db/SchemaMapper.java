package ispdb.db;

import java.util.List;

/** Questions about the schema itself. */
public interface SchemaMapper {
    /** Versions of the successful migrations recorded by Flyway; fails if there is no history table. */
    List<String> installedVersions();

    /** Rows in one of the four tables, named by its table name (any other name is refused by the mapper). */
    long countRows(String tableName);

    /**
     * The table's secondary indexes, read from the catalog (SQLite only: the statement exists for the databases
     * whose bulk load builds its indexes once at the end, see {@link #hasSecondaryIndexes}).
     */
    List<SecondaryIndex> secondaryIndexes(String tableName);

    /**
     * SQLite only: the statements Database.writeSession runs on the session's connection to take the write lock
     * first (it reads their SQL: they must run outside MyBatis' transaction handling).
     */
    void endDeferredTransaction();

    void useWriteAheadLog();

    void beginWriteTransaction();

    /** PostgreSQL, MariaDB: init-schema's lock timeout for its DDL (Schema reads its SQL). */
    void migrationLockTimeout();

    /** Whether this database's bulk load rebuilds the table's indexes ({@code secondaryIndexes} exists for it). */
    static boolean hasSecondaryIndexes(org.apache.ibatis.session.Configuration configuration) {
        return configuration.hasStatement(SchemaMapper.class.getName() + ".secondaryIndexes");
    }
}
