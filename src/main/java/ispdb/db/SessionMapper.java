package ispdb.db;

import java.util.Map;

/**
 * Per-session statements (SessionMapper.xml, each for the databases that have it): run by {@link SessionSetup} only,
 * which knows which database has which.
 */
interface SessionMapper {
    /** The row of {@code SHOW VARIABLES LIKE 'wsrep_on'} (Value ON on a Galera node), or null (MySQL). */
    Map<String, Object> wsrepOn();

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
}
