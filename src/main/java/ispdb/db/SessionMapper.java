package ispdb.db;

import java.util.Map;

/**
 * Per-session statements (SessionMapper.xml, each for the databases that have it): run by {@link SessionSetup} only,
 * which knows which database has which.
 */
interface SessionMapper {
    /**
     * The rows (Variable_name, Value) of wsrep_on (ON on a Galera node) and spider_internal_xa (there where the server
     * has the Spider engine); none on MySQL or a plain MariaDB.
     */
    java.util.List<Map<String, Object>> clusterVariables();

    void spiderSession();

    void readYourWrites();

    void streamLargeTransactions();

    void endDeferredTransaction();

    void beginWriteTransaction();

    void beginDeferredTransaction();

    void useWriteAheadLog();

    void foreignKeysOff();

    void foreignKeysOn();

    /** The table's name picks the parents PostgreSQL locks. */
    void beforeBulkLoad(String tableName);

    void bulkLoadRefused(String tableName);

    void afterBulkLoad(String tableName);

    void beforeIndexDrop();

    void afterIndexDrop();

    void indexDropRefused();

    void beforeScan();

    void afterScan();

    void beforePrune();

    void migrationLockTimeout();

    void lockDerivedTables();
}
