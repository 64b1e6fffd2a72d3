package ispdb.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import ispdb.IspdbException;
import ispdb.files.OutputFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.sqlite.SQLiteErrorCode;

/** A connection to one database: a small HikariCP pool and the MyBatis session factory over it. */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(Database.class);
    /**
     * The size of a Galera write-set fragment of a writing session: 64 MiB (see SessionMapper.xml).
     */
    private static final long GALERA_FRAGMENT_BYTES = 64L << 20;

    /** Where and as whom to connect. The password is never shown. */
    public record Settings(String url, String user, String password, int busyTimeoutMillis) {
        @Override
        public String toString() {
            return "Settings[url=" + Urls.redact(url) + ", user=" + user + "]";
        }
    }

    private final Settings settings;
    private final Dialect dialect;
    private final HikariDataSource dataSource;
    private final SqlSessionFactory sessions;
    /** Whether the server is a Galera node; null until the first session on a MariaDB/MySQL server asks. */
    private volatile Boolean galeraNode;
    /** Whether the server has the Spider engine (set with {@link #galeraNode}). */
    private volatile Boolean spiderEngine;
    /** Whether the database is a Spider head's (its tables Spider tables); null until a load's session asks. */
    private volatile Boolean spiderHead;

    private Database(Settings settings, Dialect dialect, HikariDataSource dataSource, SqlSessionFactory sessions) {
        this.settings = settings;
        this.dialect = dialect;
        this.dataSource = dataSource;
        this.sessions = sessions;
    }

    /**
     * Connects, or says in one sentence why not (exit code 3).
     *
     * @param create whether a missing SQLite file may be created (only init-schema does)
     */
    public static Database open(Settings settings, boolean create) {
        Dialect dialect = Dialect.of(settings.url());
        if (dialect == Dialect.SQLITE) {
            checkSqliteFile(settings.url(), create);
        } else if (dialect == Dialect.POSTGRESQL) {
            DriverLogging.toLog4j();
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("ispdb");
        config.setJdbcUrl(dialect.driverUrl(settings.url()));
        if (settings.user() != null) {
            config.setUsername(settings.user());
        }
        if (settings.password() != null) {
            config.setPassword(settings.password());
        }
        dialect.connectionProperties(settings.busyTimeoutMillis(), create).forEach(config::addDataSourceProperty);
        config.setMaximumPoolSize(2);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(5_000);
        config.setValidationTimeout(3_000);
        config.setInitializationFailTimeout(1);
        config.setAutoCommit(false);
        config.setRegisterMbeans(false);
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw errors(settings, dialect).cannotConnect(e);
        }
        LOG.info("connected to {}", describe(settings.url(), dialect));
        try {
            return new Database(settings, dialect, dataSource, sessionFactory(dialect, dataSource));
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    private static SqlSessionFactory sessionFactory(Dialect dialect, DataSource dataSource) {
        // MyBatis would switch auto-commit back on when a session closes, which commits whatever a failed load
        // wrote through the session's connection; the pool rolls back instead
        JdbcTransactionFactory transactions = new JdbcTransactionFactory();
        Properties settings = new Properties();
        settings.setProperty("skipSetAutoCommitOnClose", "true");
        transactions.setProperties(settings);
        Configuration configuration = new Configuration(new Environment("ispdb", transactions, dataSource));
        configuration.setDatabaseId(dialect.id());
        configuration.setMapUnderscoreToCamelCase(true);
        configuration.setDefaultFetchSize(1000);
        // SessionMapper.xml's fragment size; for tests only, the system property ispdb.test.galeraFragmentBytes
        // lowers it, so that a small load streams
        configuration.getVariables().setProperty("galeraFragmentBytes",
                Long.toString(Long.getLong("ispdb.test.galeraFragmentBytes", GALERA_FRAGMENT_BYTES)));
        configuration.getVariables().setProperty("sqlitePageCacheKiB", Integer.toString(Dialect.SQLITE_PAGE_CACHE_KIB));
        if (dialect == Dialect.SQLITE) {
            configuration.getTypeHandlerRegistry().register(LocalDateTime.class, new SqliteTimestampHandler());
        }
        // the mappers every command uses; the others are read when first needed (see useMappers): parsing
        // a mapper's XML is a good part of a short command's start-up
        for (Class<?> mapper : List.of(SchemaMapper.class, CustomerMapper.class)) {
            configuration.addMapper(mapper);
        }
        return new SqlSessionFactoryBuilder().build(configuration);
    }

    private static void checkSqliteFile(String url, boolean create) {
        Path file = sqliteFile(url);
        Path folder = file.toAbsolutePath().getParent();
        if (folder != null && !Files.isDirectory(folder)) {
            throw IspdbException.database("cannot open the SQLite database " + file + ": the folder " + folder
                    + " does not exist", null);
        }
        if (!create && !Files.exists(file)) {
            throw IspdbException.database("there is no database at " + file
                    + ": create it with 'ispdb init-schema' (or check --url)", null);
        }
        if (create && !Files.exists(file) && !Files.isSymbolicLink(file)) {
            // a new database is its owner's only (SQLite gives its -wal, -shm and -journal files the same mode);
            // an empty file is a new SQLite database
            try {
                OutputFile.createPrivate(file);
            } catch (IOException e) {
                throw IspdbException.database("cannot create the SQLite database " + file + ": "
                        + OutputFile.reason(e), e);
            }
        }
    }

    /** The SQLite file a URL names, or null (a server, an in-memory database, or not a URL ispdb knows). */
    public static Path fileOf(String url) {
        return JdbcUrl.fileOf(url);
    }

    /** The file the SQLite driver opens for a jdbc:sqlite: URL ({@link JdbcUrl#sqliteFile()}). */
    static Path sqliteFile(String url) {
        return JdbcUrl.parse(url).sqliteFile();
    }

    static String describe(String url, Dialect dialect) {
        if (dialect == Dialect.SQLITE) {
            return "the SQLite database " + sqliteFile(url);
        }
        return "the " + dialect.displayName() + " database " + Urls.redact(url);
    }

    /** "the SQLite database ispdb.sqlite", for messages. */
    public String describe() {
        return describe(settings.url(), dialect);
    }

    /** Where and as whom this connects (the sharded layout reaches the backends with the same user and password). */
    Settings settings() {
        return settings;
    }

    /** The SQLite database's file, or null (a server). */
    public Path file() {
        return dialect == Dialect.SQLITE ? sqliteFile(settings.url()) : null;
    }

    public Dialect dialect() {
        return dialect;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** The data source for init-schema's migrations, its connections set up for them (see {@link SessionSetup}). */
    DataSource migrationDataSource() {
        return SessionSetup.forMigrations(dataSource, sessions.getConfiguration());
    }

    /** Makes the statements of these mappers available (reading their XML the first time). */
    public synchronized void useMappers(Class<?>... mappers) {
        Configuration configuration = sessions.getConfiguration();
        for (Class<?> mapper : mappers) {
            if (!configuration.hasMapper(mapper)) {
                configuration.addMapper(mapper);
            }
        }
    }

    /** A session in its own transaction; BATCH sessions send writes in JDBC batches. */
    public SqlSession session(ExecutorType type) {
        SqlSession session = sessions.openSession(type, false);
        try {
            joinCluster(session, false);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
        return session;
    }

    /**
     * On a node of a MariaDB Galera cluster, makes the session read its writes: its reads wait until the node has
     * applied what the cluster committed before them (through any node). A writing session's transaction also
     * replicates in fragments as it grows (streaming replication), so that a large load is not one giant write set.
     * On a server with the Spider engine (a sharded head), the session's commits on the backends are XA: all or
     * nothing. Elsewhere (SQLite, PostgreSQL, a single MariaDB or MySQL server) it does nothing. See SessionMapper.xml.
     */
    private void joinCluster(SqlSession session, boolean writes) {
        if (dialect != Dialect.MYSQL) {
            return;
        }
        if (galeraNode == null) {
            Map<String, String> variables = SessionSetup.clusterVariables(session);
            galeraNode = "ON".equalsIgnoreCase(variables.get("wsrep_on"));
            spiderEngine = variables.containsKey("spider_internal_xa");
            if (galeraNode) {
                LOG.info("the server is a Galera node: reads wait for the cluster's earlier commits, and writes "
                        + "replicate in fragments");
            }
        }
        if (galeraNode) {
            SessionSetup.run(session, SessionSetup.Setting.READ_YOUR_WRITES);
            if (writes) {
                SessionSetup.run(session, SessionSetup.Setting.STREAM_LARGE_TRANSACTIONS);
            }
        }
        if (spiderEngine) {
            SessionSetup.run(session, SessionSetup.Setting.SPIDER_SESSION);
        }
    }

    /** Whether the server has MariaDB's Spider engine (known once a session has been opened): a sharded head can. */
    public boolean spiderEngine() {
        return Boolean.TRUE.equals(spiderEngine);
    }

    /**
     * Whether the database is a Spider head's: the server has the engine and the schema's tables are Spider tables.
     * Read once, in a short session of its own before a load's transaction begins: the load's transaction does not
     * open the Spider tables' catalog (partitions, engines) on the head.
     */
    private boolean spiderHead() {
        if (spiderHead == null) {
            if (dialect != Dialect.MYSQL) {
                spiderHead = false;
            } else {
                useMappers(ShardMapper.class);
                try (SqlSession look = session(ExecutorType.SIMPLE)) {
                    spiderHead = spiderEngine() && Shards.layout(look).spider();
                } catch (RuntimeException e) {
                    throw failure("read the tables' engines", e);
                }
            }
        }
        return spiderHead;
    }

    /** Whether the server is a node of a MariaDB Galera cluster (known once a session has been opened). */
    public boolean galeraNode() {
        return Boolean.TRUE.equals(galeraNode);
    }

    /** A session on a connection of the caller's (check's scratch database), with this database's statements. */
    public SqlSession session(java.sql.Connection connection) {
        return sessions.openSession(connection);
    }

    /**
     * A session for a transaction that writes. On SQLite it takes the database's write lock before anything
     * else, waiting up to --busy-timeout for another program to let go of it: SQLite never waits for a
     * transaction that has already read and then wants to write while another one writes (that could
     * deadlock), so such a transaction would be refused at once, however long the busy timeout.
     */
    public SqlSession writeSession(ExecutorType type) throws SQLException {
        SqlSession session = sessions.openSession(type, false);
        try {
            joinCluster(session, true);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
        if (SessionSetup.Setting.BEGIN_WRITE_TRANSACTION.on(dialect)) {
            try {
                SessionSetup.run(session, SessionSetup.Setting.END_DEFERRED_TRANSACTION);
                SessionSetup.run(session, SessionSetup.Setting.BEGIN_WRITE_TRANSACTION);
            } catch (RuntimeException e) {
                session.close();
                throw e;
            }
            return writeAheadLogOnCommit(session);
        }
        return session;
    }

    /**
     * A session for a load ({@code ispdb.load.Loader}: load-csv, record-prediction --file, copy, predict --record):
     * a {@link #writeSession}, which on a Spider head is also the head's one load at a time, waiting before it has
     * read anything for the load before it to end ({@link Shards#oneLoadAtATime}). A load through a head writes on
     * every backend (its journal entry, the months' revenue), and two at once waited on each other across backends,
     * which no backend sees as a deadlock; nor could the backends' keys stop two loads at once from writing one
     * transaction_id for two customers on two backends. Elsewhere the database's own locks and keys serialise loads
     * where they meet (a duplicate key, a load claim), and loads of keys of their own run at once: on a server each
     * reads what others committed (READ COMMITTED, PostgreSQL's default; MariaDB's is REPEATABLE READ), so that the
     * purchase summaries and months' revenue it makes again at its end, after it has locked their rows ({@link
     * PurchaseSummaries#recompute}, {@link MonthlyRevenues#recompute}), count the transactions of a load that held
     * those rows before it, and its reads of the transactions take no locks that another load's rows would wait for
     * (MariaDB's INSERT ... SELECT in REPEATABLE READ locks what it reads: two loads deadlocked).
     */
    public SqlSession loadSession(ExecutorType type) throws SQLException {
        boolean head = spiderHead();
        SqlSession session = writeSession(type);
        try {
            if (head) {
                return Shards.oneLoadAtATime(this, session);
            }
            if (dialect != Dialect.SQLITE) {
                // the pool sets the connection's own level back when the session gives it back
                session.getConnection().setTransactionIsolation(java.sql.Connection.TRANSACTION_READ_COMMITTED);
            }
            return session;
        } catch (RuntimeException | SQLException e) {
            session.close();
            throw e;
        }
    }

    /**
     * SQLite: the session, whose commit then puts the file in write-ahead-log mode (a file in rollback-journal mode,
     * which ispdb did not make): only a write that goes ahead changes the file, never one that is refused and rolled
     * back. (The mode cannot change inside a transaction, so it changes right after the commit.)
     */
    private static SqlSession writeAheadLogOnCommit(SqlSession session) {
        return hooked(session, "commit", null, () -> switchToWriteAheadLog(session));
    }

    /**
     * The session, running {@code before} (if not null) ahead of each call of its method {@code name} and {@code
     * after} (if not null) once such a call has returned.
     */
    static SqlSession hooked(SqlSession session, String name, Runnable before, Runnable after) {
        return (SqlSession) java.lang.reflect.Proxy.newProxyInstance(SqlSession.class.getClassLoader(),
                new Class<?>[] {SqlSession.class}, (proxy, method, args) -> {
                    boolean hooked = method.getName().equals(name);
                    if (hooked && before != null) {
                        before.run();
                    }
                    Object result;
                    try {
                        result = method.invoke(session, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (hooked && after != null) {
                        after.run();
                    }
                    return result;
                });
    }

    /** Ends the driver's empty deferred transaction, switches the file to WAL, and begins another. */
    private static void switchToWriteAheadLog(SqlSession session) {
        SessionSetup.run(session, SessionSetup.Setting.END_DEFERRED_TRANSACTION);
        SessionSetup.run(session, SessionSetup.Setting.USE_WRITE_AHEAD_LOG);
        SessionSetup.run(session, SessionSetup.Setting.BEGIN_DEFERRED_TRANSACTION);
    }

    /**
     * On SQLite, puts the file in write-ahead-log mode (if it is not yet), so that readers never wait for a writer;
     * elsewhere does nothing. init-schema calls it; every transaction that writes does too when it commits (an older
     * file).
     */
    public void useWriteAheadLog() throws SQLException {
        if (dialect != Dialect.SQLITE) {
            return;
        }
        try (SqlSession session = sessions.openSession(ExecutorType.SIMPLE, false)) {
            switchToWriteAheadLog(session);
            session.rollback(true);
        }
    }

    private static DatabaseErrors errors(Settings settings, Dialect dialect) {
        return new DatabaseErrors(describe(settings.url(), dialect), settings.url(), settings.password(),
                settings.busyTimeoutMillis());
    }

    /** One sentence (exit code 3) for a database error while doing {@code action} ("load the rows"). */
    public IspdbException failure(String action, Throwable e) {
        return errors(settings, dialect).failed(action, e);
    }

    /**
     * Makes sure the schema is there and is the one this ispdb knows; otherwise says what to do (exit code 3).
     */
    public void requireSchema() {
        Schema.requireCurrent(this);
    }

    @Override
    public void close() {
        dataSource.close();
    }

    /**
     * Whether the database refused a row because its key is already there (on a server, another session
     * committed it while this one ran): PostgreSQL's unique_violation, MariaDB's error 1062, SQLite's primary key
     * or unique constraint.
     */
    public static boolean isDuplicateKey(Throwable e) {
        if (DatabaseErrors.isSqliteError(e, SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY, SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE)) {
            return true;
        }
        for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof SQLException s && ("23505".equals(s.getSQLState()) || s.getErrorCode() == 1062)) {
                return true;
            }
        }
        return false;
    }
}
