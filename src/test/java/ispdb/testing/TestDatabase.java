package ispdb.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh, empty database for one test, on SQLite (a file in the test's temporary folder), PostgreSQL or
 * MariaDB (a database created for the test and dropped after it).
 *
 * <p>The servers are found through {@code ISPDB_TEST_POSTGRES_URL} and {@code ISPDB_TEST_MARIADB_URL} (JDBC URLs
 * of a database the tests may connect to as a user who may create databases), by default the local servers on
 * 127.0.0.1. Where a server is not reachable its tests are skipped with a message, unless
 * {@code ISPDB_TEST_REQUIRE_SERVERS=1} (as .ci/run sets), which turns the skip into a failure.
 *
 * <p>{@code ISPDB_TEST_DATABASES} (a comma-separated list such as {@code postgresql,mariadb}; default sqlite,
 * postgresql, mariadb) chooses the databases the tests run on: the database-parameterized classes take their kinds
 * from {@link #kinds()}, and a test that asks for another kind is skipped. The fourth kind, {@code spider} (a MariaDB
 * Spider head over three backends, {@link SpiderHead}), runs only when named: .ci/run runs the tagged classes on it
 * as a step of their own.
 */
public final class TestDatabase implements AutoCloseable {
    public enum Kind {
        SQLITE("SQLite"), POSTGRESQL("PostgreSQL"), MARIADB("MariaDB"),
        /**
         * A MariaDB Spider head with its backends ({@link SpiderHead}), the schema made by {@code init-schema --shards}
         * ({@link DatabaseTest#initSchema}); only when ISPDB_TEST_DATABASES names it (spider).
         */
        SPIDER("MariaDB Spider");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** Whether ispdb talks MariaDB's SQL to it (MariaDB, or a Spider head). */
        public boolean mariadb() {
            return this == MARIADB || this == SPIDER;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    public static final String POSTGRES_DEFAULT = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
    public static final String MARIADB_DEFAULT = "jdbc:mariadb://127.0.0.1:3306/test?user=root";
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Map<Kind, String> UNREACHABLE = new EnumMap<>(Kind.class);
    private static final Map<Kind, Boolean> CHECKED = new EnumMap<>(Kind.class);
    /** The Spider heads' databases made and not yet dropped: URL, backends (--shards). */
    private static final Map<String, String> SHARDS = new java.util.concurrent.ConcurrentHashMap<>();

    private final Kind kind;
    private final String url;
    private final String adminUrl;
    private final String name;
    /** A Spider head's backends (HOST:PORT each), where the database of the same name is made too; else empty. */
    private final List<String> shards;

    private TestDatabase(Kind kind, String url, String adminUrl, String name) {
        this(kind, url, adminUrl, name, List.of());
    }

    private TestDatabase(Kind kind, String url, String adminUrl, String name, List<String> shards) {
        this.kind = kind;
        this.url = url;
        this.adminUrl = adminUrl;
        this.name = name;
        this.shards = shards;
    }

    /** The kinds of database the tests run on ({@code ISPDB_TEST_DATABASES}, default all): a {@code @MethodSource}. */
    public static Stream<Kind> kinds() {
        return selected().stream();
    }

    /**
     * The kinds a test that compares the databases' outputs goes through, each in one test: SQLite, PostgreSQL and
     * MariaDB, and a Spider head where ISPDB_TEST_DATABASES names it (create skips the test where one is left out).
     */
    public static List<Kind> comparedKinds() {
        return Stream.of(Kind.values()).filter(k -> k != Kind.SPIDER || selected().contains(k)).toList();
    }

    /** The server kinds of {@link #kinds()}: a {@code @MethodSource}. */
    public static Stream<Kind> servers() {
        return kinds().filter(k -> k != Kind.SQLITE);
    }

    public static Set<Kind> selected() {
        String env = System.getenv("ISPDB_TEST_DATABASES");
        if (env == null || env.isBlank()) {
            return EnumSet.of(Kind.SQLITE, Kind.POSTGRESQL, Kind.MARIADB);
        }
        Set<Kind> kinds = EnumSet.noneOf(Kind.class);
        for (String name : env.split(",")) {
            try {
                kinds.add(Kind.valueOf(name.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("ISPDB_TEST_DATABASES=" + env + ": unknown database '"
                        + name.strip() + "' (give some of sqlite, postgresql, mariadb, spider, separated by commas)", e);
            }
        }
        return kinds;
    }

    /**
     * A new empty database of this kind; skips (or, on CI, fails) the test if its server is not reachable, and
     * skips it if {@code ISPDB_TEST_DATABASES} leaves this kind out.
     */
    public static TestDatabase create(Kind kind, Path tempDir) {
        Assumptions.assumeTrue(selected().contains(kind),
                () -> kind + " is not among ISPDB_TEST_DATABASES=" + System.getenv("ISPDB_TEST_DATABASES"));
        if (kind == Kind.SQLITE) {
            Path file = tempDir.resolve("test-" + COUNTER.incrementAndGet() + ".sqlite");
            return new TestDatabase(kind, "jdbc:sqlite:" + file, null, file.toString());
        }
        if (kind == Kind.SPIDER) {
            SpiderHead.Servers servers = SpiderHead.servers();
            requireReachable(kind, servers.headUrl());
            String name = "ispdb_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
            // the head's database and the backends' of the same name, where init-schema --shards puts the rows
            execute(servers.headUrl(), "CREATE DATABASE " + name);
            TestDatabase made = new TestDatabase(kind, withDatabase(servers.headUrl(), name), servers.headUrl(), name,
                    servers.shards());
            SHARDS.put(made.url, made.shards());
            try {
                for (String shard : servers.shards()) {
                    execute(servers.backendUrl(shard, "test"), "CREATE DATABASE " + name);
                }
            } catch (RuntimeException e) {
                made.close();
                throw e;
            }
            return made;
        }
        String admin = adminUrl(kind);
        requireReachable(kind, admin);
        String name = "ispdb_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        execute(admin, "CREATE DATABASE " + name);
        return new TestDatabase(kind, withDatabase(admin, name), admin, name);
    }

    /**
     * Skips (or, on CI, fails) the test if the server of this kind is not reachable, and skips it if
     * ISPDB_TEST_DATABASES leaves this kind out, as {@link #create} does.
     */
    public static void requireServer(Kind kind) {
        Assumptions.assumeTrue(selected().contains(kind),
                () -> kind + " is not among ISPDB_TEST_DATABASES=" + System.getenv("ISPDB_TEST_DATABASES"));
        if (kind != Kind.SQLITE) {
            requireReachable(kind, adminUrl(kind));
        }
    }

    /** The admin URL of a server kind (for a Spider head, the head's). */
    public static String adminUrl(Kind kind) {
        if (kind == Kind.SPIDER) {
            return SpiderHead.servers().headUrl();
        }
        String env = System.getenv(kind == Kind.POSTGRESQL ? "ISPDB_TEST_POSTGRES_URL" : "ISPDB_TEST_MARIADB_URL");
        if (env != null && !env.isBlank()) {
            return env;
        }
        return kind == Kind.POSTGRESQL ? POSTGRES_DEFAULT : MARIADB_DEFAULT;
    }

    private static synchronized void requireReachable(Kind kind, String admin) {
        if (!CHECKED.containsKey(kind)) {
            CHECKED.put(kind, true);
            try {
                DriverManager.setLoginTimeout(5);
                try (Connection c = DriverManager.getConnection(admin)) {
                    c.isValid(3);
                }
            } catch (SQLException e) {
                String message = kind + " server at " + admin + " is not reachable (" + e.getMessage().strip()
                        + "); its tests are skipped";
                UNREACHABLE.put(kind, message);
                System.err.println("SKIPPED: " + message);
            }
        }
        String problem = UNREACHABLE.get(kind);
        if (problem != null) {
            if ("1".equals(System.getenv("ISPDB_TEST_REQUIRE_SERVERS"))) {
                fail(problem + " — ISPDB_TEST_REQUIRE_SERVERS=1 requires it");
            }
            Assumptions.abort(problem);
        }
    }

    /** The admin URL with its database replaced. */
    public static String withDatabase(String admin, String database) {
        int slash = admin.indexOf('/', admin.indexOf("//") + 2);
        int query = admin.indexOf('?', slash);
        return admin.substring(0, slash + 1) + database + (query < 0 ? "" : admin.substring(query));
    }

    private static void execute(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    public Kind kind() {
        return kind;
    }

    /** A Spider head's backends as init-schema's --shards names them (HOST:PORT,...); null for the other kinds. */
    public String shards() {
        return shards.isEmpty() ? null : String.join(",", shards);
    }

    /**
     * The command line that makes the schema in the database at {@code url}, followed by {@code more} arguments:
     * {@code init-schema --url URL}, and where the URL is a Spider head's database made here, {@code --shards} naming
     * its backends (the sharded schema).
     */
    public static String[] initSchemaArguments(String url, String... more) {
        List<String> args = new ArrayList<>(List.of("init-schema", "--url", url));
        String backends = SHARDS.get(url);
        if (backends != null) {
            args.addAll(List.of("--shards", backends));
        }
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    /** On a Spider head: the JDBC URLs of this database on each backend, in their order; else none. */
    public List<String> backendUrls() {
        return shards.stream().map(shard -> SpiderHead.servers().backendUrl(shard, name)).toList();
    }

    /**
     * On a Spider head: the JDBC URL of this database on the backend that holds customer {@code customerId}'s rows
     * (all of a customer's rows are on one backend), for a fixture that must bypass the head (a row past the
     * backends' foreign keys). Found by writing the customer through the head, looking for it on each backend and
     * deleting it again: the customer must not be in dim_customer yet.
     */
    public String backendUrlOfCustomer(long customerId) {
        if (kind != Kind.SPIDER) {
            throw new IllegalStateException(kind + " has no backends");
        }
        update("INSERT INTO dim_customer (customer_id) VALUES (" + customerId + ")");
        try {
            for (String backend : backendUrls()) {
                try (Connection c = DriverManager.getConnection(backend); Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM dim_customer WHERE customer_id = "
                                + customerId)) {
                    if (rs.next() && rs.getLong(1) > 0) {
                        return backend;
                    }
                }
            }
            throw new IllegalStateException("customer " + customerId + " is on no backend of " + url);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } finally {
            update("DELETE FROM dim_customer WHERE customer_id = " + customerId);
        }
    }

    /** The URL to give ispdb's --url. */
    public String url() {
        return url;
    }

    /** A JDBC connection for the test's own checks (autocommit). */
    public Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(url);
        if (kind == Kind.SQLITE) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA foreign_keys = ON");
            }
        }
        return c;
    }

    /** The rows of a query, each a list of column values as the driver returns them. */
    public List<List<Object>> query(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<List<Object>> rows = new ArrayList<>();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Runs a statement (for fixtures such as a fake newer schema version). */
    public void update(String sql) {
        execute(url, sql);
    }

    /**
     * MariaDB: the scratch databases that this test JVM's own runs of check and adopt (in-process, named by its pid:
     * ispdb_check_PID_N, ispdb_adopt_new_PID_N, ispdb_adopt_old_PID_N) have left on the server. The other test JVMs'
     * runs at the same moment have scratch databases of their own, under their pids.
     */
    public long scratchDatabasesOfThisJvm() {
        long pid = ProcessHandle.current().pid();
        return count("SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name LIKE 'ispdb\\_check\\_" + pid
                + "\\_%' OR schema_name LIKE 'ispdb\\_adopt\\_new\\_" + pid + "\\_%' OR schema_name LIKE "
                + "'ispdb\\_adopt\\_old\\_" + pid + "\\_%'");
    }

    /** The single number a query returns (COUNT(*) and the like). */
    public long count(String sql) {
        return ((Number) query(sql).get(0).get(0)).longValue();
    }

    /** Every row of the four tables, as text, in key order: equal snapshots mean nothing changed. */
    public String snapshot() {
        StringBuilder s = new StringBuilder();
        for (String[] t : new String[][] {{"dim_payment_method", "payment_method_id"}, {"dim_customer", "customer_id"},
            {"fact_transaction", "transaction_id"}, {"clv_prediction", "prediction_id"}}) {
            try {
                s.append(t[0]).append(query("SELECT * FROM " + t[0] + " ORDER BY " + t[1])).append('\n');
            } catch (IllegalStateException e) {
                s.append(t[0]).append(" missing\n");
            }
        }
        return s.toString();
    }

    /**
     * The schema as the database's own catalog describes it (tables, columns and their defaults, indexes, keys,
     * foreign keys, CHECKs), as text without row data or the database's name: equal catalogs are the same schema.
     */
    public String catalog() {
        List<String> queries = switch (kind) {
            case SQLITE -> List.of("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name");
            case POSTGRESQL -> List.of(
                    "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                            + "ORDER BY 1, 2",
                    "SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid), convalidated, "
                            + "condeferrable FROM pg_constraint WHERE connamespace = current_schema()::regnamespace "
                            + "ORDER BY 1, 2",
                    "SELECT table_name, column_name, ordinal_position, data_type, is_nullable, column_default "
                            + "FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY 1, 3");
            case MARIADB, SPIDER -> List.of(
                    "SELECT table_name, index_name, seq_in_index, column_name, non_unique "
                            + "FROM information_schema.statistics WHERE table_schema = DATABASE() ORDER BY 1, 2, 3",
                    "SELECT table_name, constraint_name, constraint_type FROM information_schema.table_constraints "
                            + "WHERE constraint_schema = DATABASE() ORDER BY 1, 2",
                    "SELECT constraint_name, table_name, referenced_table_name, update_rule, delete_rule "
                            + "FROM information_schema.referential_constraints WHERE constraint_schema = DATABASE() "
                            + "ORDER BY 1",
                    "SELECT table_name, column_name, ordinal_position, column_type, is_nullable, column_default, "
                            + "extra FROM information_schema.columns WHERE table_schema = DATABASE() ORDER BY 1, 3",
                    "SELECT constraint_name, table_name, check_clause FROM information_schema.check_constraints "
                            + "WHERE constraint_schema = DATABASE() ORDER BY 1, 2");
        };
        StringBuilder s = new StringBuilder();
        for (String q : queries) {
            for (List<Object> row : query(q)) {
                s.append(row).append('\n');
            }
        }
        return s.toString();
    }

    @Override
    public void close() {
        if (kind == Kind.SPIDER) {
            SHARDS.remove(url);
            // the head's first (its Spider tables name the backends' tables), then the server definitions that
            // init-schema --shards made for this database (Shards.serverNames: ispdb_DB_N), else mysql.servers grows
            // with every test, then the backends'
            execute(adminUrl, "DROP DATABASE IF EXISTS " + name);
            for (int i = 1; i <= shards.size(); i++) {
                execute(adminUrl, "DROP SERVER IF EXISTS ispdb_" + name + "_" + i);
            }
            SpiderHead.Servers servers = SpiderHead.servers();
            for (String shard : shards) {
                execute(servers.backendUrl(shard, "test"), "DROP DATABASE IF EXISTS " + name);
            }
        } else if (kind != Kind.SQLITE) {
            execute(adminUrl, (kind == Kind.POSTGRESQL ? "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"
                    : "DROP DATABASE IF EXISTS " + name));
        }
    }

    @Override
    public String toString() {
        return kind.toString();
    }
}
