package ispdb.db;

import static ispdb.db.Dialect.MYSQL;
import static ispdb.db.Dialect.POSTGRESQL;
import static ispdb.db.Dialect.SQLITE;

import ispdb.model.Table;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import javax.sql.DataSource;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.defaults.DefaultSqlSession;
import org.apache.ibatis.transaction.managed.ManagedTransaction;

/**
 * The one place that runs per-session statements (HikariCP's {@code PoolBase.setupConnection} is the model): the
 * settings of a connection or of its transaction, from the typed list {@link Setting}, whose statements are in
 * SessionMapper.xml (by databaseId). Each runs at once through a SIMPLE session on the same connection, so that a
 * BATCH session never queues one behind its rows.
 */
public final class SessionSetup {
    /** Every per-session statement, with the databases that have it. */
    public enum Setting {
        /** Galera: this session's reads wait until the node has applied what the cluster committed before them. */
        READ_YOUR_WRITES(EnumSet.of(MYSQL), (m, t) -> m.readYourWrites()),
        /** Galera: this session's transactions replicate in fragments as they grow. */
        STREAM_LARGE_TRANSACTIONS(EnumSet.of(MYSQL), (m, t) -> m.streamLargeTransactions()),
        /**
         * Spider: this session's transactions commit on the backends as XA transactions, all or nothing; and
         * Spider's direct aggregates, wrong for a GROUP BY the head sorts, off; and the optimizer's split
         * materialization and IN-to-EXISTS, which make a derived table or a subquery a round trip to a backend per
         * row, off.
         */
        SPIDER_SESSION(EnumSet.of(MYSQL), (m, t) -> m.spiderSession()),
        /** SQLite: ends the driver's deferred (empty) transaction, and takes the write lock first thing. */
        END_DEFERRED_TRANSACTION(EnumSet.of(SQLITE), (m, t) -> m.endDeferredTransaction()),
        BEGIN_WRITE_TRANSACTION(EnumSet.of(SQLITE), (m, t) -> m.beginWriteTransaction()),
        BEGIN_DEFERRED_TRANSACTION(EnumSet.of(SQLITE), (m, t) -> m.beginDeferredTransaction()),
        /** SQLite: the file in write-ahead-log mode. */
        USE_WRITE_AHEAD_LOG(EnumSet.of(SQLITE), (m, t) -> m.useWriteAheadLog()),
        /** SQLite: the connection's per-row foreign-key checks, off and on (outside a transaction). */
        FOREIGN_KEYS_OFF(EnumSet.of(SQLITE), (m, t) -> m.foreignKeysOff()),
        FOREIGN_KEYS_ON(EnumSet.of(SQLITE), (m, t) -> m.foreignKeysOn()),
        /** A bulk load into the table: its per-row key checks off (see {@link #BULK_LOAD_TABLES}), and back. */
        BEFORE_BULK_LOAD(EnumSet.allOf(Dialect.class), (m, t) -> m.beforeBulkLoad(t.tableName())),
        BULK_LOAD_REFUSED(EnumSet.of(POSTGRESQL), (m, t) -> m.bulkLoadRefused(t.tableName())),
        AFTER_BULK_LOAD(EnumSet.allOf(Dialect.class), (m, t) -> m.afterBulkLoad(t.tableName())),
        /** PostgreSQL: a savepoint and a short lock timeout around a bulk load's index drops. */
        BEFORE_INDEX_DROP(EnumSet.of(POSTGRESQL), (m, t) -> m.beforeIndexDrop()),
        AFTER_INDEX_DROP(EnumSet.of(POSTGRESQL), (m, t) -> m.afterIndexDrop()),
        INDEX_DROP_REFUSED(EnumSet.of(POSTGRESQL), (m, t) -> m.indexDropRefused()),
        /** SQLite: a small page cache for copy's read-once scan of every table, and the connection's own back. */
        BEFORE_SCAN(EnumSet.of(SQLITE), (m, t) -> m.beforeScan()),
        AFTER_SCAN(EnumSet.of(SQLITE), (m, t) -> m.afterScan()),
        /** SQLite: a page cache that holds the clv index for prune-predictions' batches. */
        BEFORE_PRUNE(EnumSet.of(SQLITE), (m, t) -> m.beforePrune()),
        /** The servers: init-schema's DDL gives up on a lock after 5 s instead of queueing readers behind it. */
        MIGRATION_LOCK_TIMEOUT(EnumSet.of(POSTGRESQL, MYSQL), (m, t) -> m.migrationLockTimeout()),
        /**
         * PostgreSQL: the purchase summaries and monthly revenue held against other writers until the transaction
         * ends, before all of them are made again ({@link PurchaseSummaries#rebuild}).
         */
        LOCK_DERIVED_TABLES(EnumSet.of(POSTGRESQL), (m, t) -> m.lockDerivedTables());

        private final Set<Dialect> databases;
        private final BiConsumer<SessionMapper, Table> statement;

        Setting(Set<Dialect> databases, BiConsumer<SessionMapper, Table> statement) {
            this.databases = databases;
            this.statement = statement;
        }

        /** Whether this database has the setting. */
        public boolean on(Dialect dialect) {
            return databases.contains(dialect);
        }
    }

    /**
     * The tables whose bulk load turns their per-row key checks off, per database (PostgreSQL: those with parents to
     * lock; SQLite's "checks" are its page cache, its loads run without the per-row checks anyway).
     */
    private static final Map<Dialect, Set<Table>> BULK_LOAD_TABLES = Map.of(
            SQLITE, EnumSet.of(Table.CUSTOMER, Table.TRANSACTION, Table.PREDICTION),
            POSTGRESQL, EnumSet.of(Table.TRANSACTION, Table.PREDICTION),
            MYSQL, EnumSet.of(Table.CUSTOMER, Table.TRANSACTION, Table.PREDICTION));

    private SessionSetup() {
    }

    /** The database of a session, from its configuration's databaseId. */
    public static Dialect dialect(SqlSession session) {
        return Dialect.ofId(session.getConfiguration().getDatabaseId());
    }

    /** Runs the setting on the session's connection where its database has it; whether it ran. */
    public static boolean run(SqlSession session, Setting setting) {
        return run(session, setting, null);
    }

    /** As {@link #run(SqlSession, Setting)}, for a setting of one table's load. */
    public static boolean run(SqlSession session, Setting setting, Table table) {
        return run(session.getConfiguration(), session.getConnection(), setting, table);
    }

    private static boolean run(Configuration configuration, Connection connection, Setting setting, Table table) {
        if (!setting.on(Dialect.ofId(configuration.getDatabaseId()))) {
            return false;
        }
        useMapper(configuration);
        try (SqlSession now = onConnection(configuration, connection, ExecutorType.SIMPLE)) {
            setting.statement.accept(now.getMapper(SessionMapper.class), table);
        }
        return true;
    }

    /**
     * The data source for init-schema's migrations (Flyway): on the servers, every connection it gives has had
     * {@link Setting#MIGRATION_LOCK_TIMEOUT} set first (and committed, so that it lasts the session).
     */
    static DataSource forMigrations(DataSource dataSource, Configuration configuration) {
        if (!Setting.MIGRATION_LOCK_TIMEOUT.on(Dialect.ofId(configuration.getDatabaseId()))) {
            return dataSource;
        }
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(dataSource, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (result instanceof Connection c && method.getName().equals("getConnection")) {
                        try {
                            run(configuration, c, Setting.MIGRATION_LOCK_TIMEOUT, null);
                            c.commit();
                        } catch (SQLException | RuntimeException e) {
                            c.close();
                            throw e;
                        }
                    }
                    return result;
                });
    }

    /** Whether a bulk load into the table turns its per-row key checks off on this session's database. */
    public static boolean bulkLoadSettings(SqlSession session, Table table) {
        return BULK_LOAD_TABLES.get(dialect(session)).contains(table);
    }

    /**
     * The values of wsrep_on and spider_internal_xa by name (MariaDB/MySQL only; a variable the server has not is
     * absent): whether this is a Galera node, whether it has the Spider engine.
     */
    static Map<String, String> clusterVariables(SqlSession session) {
        Configuration configuration = session.getConfiguration();
        useMapper(configuration);
        Map<String, String> values = new java.util.HashMap<>();
        for (Map<String, Object> row : session.getMapper(SessionMapper.class).clusterVariables()) {
            values.put(String.valueOf(row.get("Variable_name")).toLowerCase(java.util.Locale.ROOT),
                    String.valueOf(row.get("Value")));
        }
        return values;
    }

    private static void useMapper(Configuration configuration) {
        synchronized (configuration) {
            if (!configuration.hasMapper(SessionMapper.class)) {
                configuration.addMapper(SessionMapper.class);
            }
        }
    }

    /**
     * A session of the given kind on a connection that another session owns (the same transaction): it never
     * commits, rolls back or closes the connection; the owner does.
     */
    private static SqlSession onConnection(Configuration configuration, Connection connection, ExecutorType type) {
        return new DefaultSqlSession(configuration,
                configuration.newExecutor(new ManagedTransaction(connection, false), type), false);
    }
}
