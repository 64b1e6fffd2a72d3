package ispdb.db;

import ispdb.IspdbException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;
import org.mariadb.jdbc.Configuration;

/**
 * The sharded layout (docs/sharding.md): a MariaDB head with the Spider engine, and backends that hold the rows. Each
 * backend has the schema as the migrations make it (its own schema history; foreign keys hold there). On the head the
 * migrations run too, and then every table they made ({@link #sharded}; not the schema history) becomes a Spider
 * table over the backends' copies: a table with customer_id partitioned by KEY (customer_id), one partition per
 * backend (so a customer's rows are all on one backend), its primary key widened by customer_id (Spider refuses one
 * without it); a table without customer_id (dim_payment_method, the load journal) replicated on every backend. Which
 * table goes where is read from the catalog, so a table a later migration adds follows the same rule. Foreign keys
 * live on the backends only.
 */
public final class Shards {
    /**
     * The tables that live on the backends: every table the migrations create ({@link Schema#tables}), and only
     * those: another application's tables in the head's database stay as they are (turned into Spider tables over
     * backends that lack them, their rows were unreadable), and the schema history (Flyway's, made by no migration)
     * stays local to the head. The load journal and the load claims are among them, replicated Spider tables like
     * dim_payment_method, so that they commit in the backends' XA transaction with the rows: the head commits a local
     * InnoDB table before Spider's XA (PREPARE then COMMIT on each backend) runs, so a local journal recorded a load
     * that a backend lost during the commit then rolled back (SpiderAtomicityTest).
     */
    static List<String> sharded() {
        return Schema.tables(Dialect.MYSQL);
    }
    /** MariaDB keeps at most this many characters of a server definition's option (and silently drops the rest). */
    private static final int SERVER_OPTION_LIMIT = 64;

    /** A backend, as the head (and ispdb) reaches it. */
    public record Backend(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /** What the catalog says of a head: the servers its Spider tables name (none: not a sharded head). */
    public record Layout(List<String> servers, List<ShardedTable> tables) {
        public boolean sharded() {
            return !servers.isEmpty();
        }

        /** Whether any table of the schema is a Spider table (a head, sharded by ispdb or by hand). */
        public boolean spider() {
            return tables.stream().anyMatch(t -> "SPIDER".equalsIgnoreCase(t.engine()));
        }
    }

    private Shards() {
    }

    /** Reads --shards' HOST:PORT[,HOST:PORT...], or says in one sentence what is wrong with it (a usage error). */
    public static List<Backend> parse(String option) {
        List<Backend> backends = new ArrayList<>();
        Set<String> hosts = new HashSet<>();
        for (String item : option.split(",", -1)) {
            String s = item.strip();
            int colon = s.lastIndexOf(':');
            int port = -1;
            if (colon > 0 && s.substring(colon + 1).matches("[0-9]{1,5}")) {
                port = Integer.parseInt(s.substring(colon + 1));
            }
            if (port < 1 || port > 65535) {
                throw IspdbException.usage("--shards " + option + ": '" + s + "' is not HOST:PORT (a backend's host and"
                        + " port, as the head reaches it)");
            }
            String host = s.substring(0, colon);
            if (!hosts.add(host.toLowerCase(Locale.ROOT))) {
                throw IspdbException.usage("--shards " + option + ": the host " + host + " is named twice: each "
                        + "backend needs a host address of its own (Spider's XA commit fails on backends that share"
                        + " one, error 12606)");
            }
            backends.add(new Backend(host, port));
        }
        return backends;
    }

    /**
     * Makes the sharded schema: the migrations on every backend (reached with the head's user and password), the
     * backends' server definitions on the head, the migrations on the head, and its tables turned into Spider
     * tables. Every step may run again: a rerun after an interruption finishes the job. Returns the head's outcome.
     */
    public static Schema.Outcome create(Database head, List<Backend> backends) {
        String database = requireSpiderHead(head);
        Configuration url = driverConfiguration(head.settings().url());
        String user = head.settings().user() != null ? head.settings().user() : url.user();
        String password = head.settings().password() != null ? head.settings().password() : url.password();
        for (String[] option : new String[][] {{"user", user}, {"password", password}}) {
            if (option[1] != null && option[1].length() > SERVER_OPTION_LIMIT) {
                throw IspdbException.usage("the " + option[0] + " for the backends is longer than "
                        + SERVER_OPTION_LIMIT + " characters, which MariaDB's server definitions (CREATE SERVER)"
                        + " would cut: use a shorter one");
            }
        }
        List<String> servers = serverNames(database, backends.size());
        Layout layout = layout(head);
        Integer version = Schema.historyVersion(head);
        if (layout.sharded() && !layout.servers().equals(servers)) {
            throw IspdbException.usage(head.describe() + " is sharded over " + layout.servers().size() + " backends ("
                    + String.join(", ", layout.servers()) + "), not the " + backends.size() + " --shards names: adding"
                    + " or removing a backend later is not supported (docs/sharding.md)");
        }
        // an empty local schema is an interrupted run's (or nothing is lost turning it into Spider tables)
        if (!layout.sharded() && version != null
                && Schema.status(head).rowCounts().values().stream().anyMatch(rows -> rows > 0)) {
            throw IspdbException.usage(head.describe() + " already has the ispdb schema in local tables, with rows:"
                    + " --shards makes a new sharded schema; point --url at a new database on the head and copy the"
                    + " rows");
        }
        for (Backend backend : backends) {
            try (Database db = openBackend(head, backend)) {
                Schema.migrate(db);
            }
        }
        try (SqlSession session = head.session(ExecutorType.SIMPLE)) {
            ShardMapper mapper = session.getMapper(ShardMapper.class);
            for (int i = 0; i < backends.size(); i++) {
                mapper.createServer(servers.get(i), backends.get(i).host(), backends.get(i).port(),
                        user == null ? "" : user, password == null ? "" : password, database);
            }
        } catch (RuntimeException e) {
            throw head.failure("define the backends (CREATE SERVER, which needs the FEDERATED ADMIN privilege)", e);
        }
        Schema.Outcome outcome = Schema.migrate(head);
        try (SqlSession session = head.session(ExecutorType.SIMPLE)) {
            convert(session.getMapper(ShardMapper.class), null, servers);
        } catch (RuntimeException e) {
            throw head.failure("make the Spider tables over the backends", e);
        }
        return outcome;
    }

    /**
     * Turns the schema's tables in {@code schema} (null: the session's database) into the sharded layout's: their
     * foreign keys dropped, and the primary keys of the tables with customer_id widened by it; with servers, each
     * then a Spider table over them (without: the catalog a head has, for check's migrated schema). Done steps are
     * skipped.
     */
    static void convert(ShardMapper mapper, String schema, List<String> servers) {
        for (Map<String, Object> fk : mapper.foreignKeys(schema, sharded())) {
            mapper.dropForeignKey(String.valueOf(fk.get("table_name")), String.valueOf(fk.get("name")));
        }
        for (ShardedTable t : mapper.tables(schema, sharded())) {
            List<String> key = t.primaryKey() == null ? List.of() : List.of(t.primaryKey().split(","));
            if (t.byCustomer() && !key.isEmpty() && !key.contains("customer_id")) {
                mapper.addCustomerToPrimaryKey(t.tableName(), key);
            }
            if (servers != null && !"SPIDER".equalsIgnoreCase(t.engine())) {
                if (t.byCustomer()) {
                    mapper.partitionByCustomer(t.tableName(), servers);
                } else {
                    mapper.replicate(t.tableName(), String.join(" ", servers));
                }
            }
        }
    }

    /**
     * check's findings on a sharded head's layout (none elsewhere): each table of the schema a Spider table, those
     * with customer_id partitioned over every backend in order, the others replicated on all of them.
     */
    public static List<ispdb.model.Finding> layoutFindings(Database head) {
        Layout layout = layout(head);
        List<ispdb.model.Finding> findings = new ArrayList<>();
        if (!layout.sharded()) {
            return findings;
        }
        String servers = String.join(" ", layout.servers());
        for (ShardedTable t : layout.tables()) {
            String problem = null;
            if (!"SPIDER".equalsIgnoreCase(t.engine())) {
                problem = "is a local " + t.engine() + " table on this sharded head (its rows belong on the backends "
                        + servers + "): 'ispdb init-schema --shards' with the same backends makes it a Spider table";
            } else if (t.byCustomer()) {
                List<String> named = new ArrayList<>();
                for (String partition : t.partitions() == null ? new String[0] : t.partitions().split("\n")) {
                    named.add(server(partition));
                }
                if (!named.equals(layout.servers())) {
                    problem = "is partitioned over " + named + ", not one partition on each backend in order ("
                            + servers + ")";
                }
            } else if (t.partitions() != null || !servers.equals(server(t.comment()))) {
                problem = "is not replicated on every backend (Spider comment: " + t.comment() + "; the layout's "
                        + "servers: " + servers + ")";
            }
            if (problem != null) {
                findings.add(new ispdb.model.Finding(t.tableName(), "ENGINE", SchemaDrift.RULE, t.tableName() + " "
                        + problem));
            }
        }
        return findings;
    }

    /**
     * Opens each backend of a sharded head as its server definition (mysql.servers) names it, with the head URL's
     * user and password (as init-schema --shards reached it), and hands it to {@code use} with its words ("backend
     * ispdb_DB_2 (HOST:PORT)"); closes it after. Says in one sentence (exit code 3) why a backend cannot be reached.
     */
    static void eachBackend(Database head, Layout layout, java.util.function.BiConsumer<String, Database> use) {
        List<Map<String, Object>> definitions;
        try (SqlSession session = head.session(ExecutorType.SIMPLE)) {
            definitions = session.getMapper(ShardMapper.class).servers(layout.servers());
        } catch (RuntimeException e) {
            throw head.failure("read the backends' server definitions (mysql.servers, which needs the SELECT"
                    + " privilege there)", e);
        }
        for (String server : layout.servers()) {
            Map<String, Object> definition = definitions.stream().filter(d -> server.equals(d.get("name")))
                    .findFirst().orElseThrow(() -> IspdbException.database(head.describe() + " has no server"
                            + " definition " + server + ", which its Spider tables name: 'ispdb init-schema --shards'"
                            + " with the same backends makes it again", null));
            Backend backend = new Backend(String.valueOf(definition.get("host")),
                    ((Number) definition.get("port")).intValue());
            try (Database db = openBackend(head, backend)) {
                use.accept("backend " + server + " (" + backend + ")", db);
            }
        }
    }

    /** A backend, reached with the head URL's user and password source, in the database of the head's name. */
    private static Database openBackend(Database head, Backend backend) {
        return Database.open(new Database.Settings(backendUrl(head.settings().url(), backend), head.settings().user(),
                head.settings().password(), head.settings().busyTimeoutMillis()), false);
    }

    /** The head's layout, from its catalog. */
    public static Layout layout(Database head) {
        if (head.dialect() != Dialect.MYSQL) {
            return new Layout(List.of(), List.of());
        }
        head.useMappers(ShardMapper.class);
        try (SqlSession session = head.session(ExecutorType.SIMPLE)) {
            return layout(session);
        } catch (RuntimeException e) {
            throw head.failure("read the tables' engines", e);
        }
    }

    /** The layout of the session's database (a MariaDB one's, ShardMapper registered), from its catalog. */
    static Layout layout(SqlSession session) {
        List<ShardedTable> tables = session.getMapper(ShardMapper.class).tables(null, sharded());
        List<String> servers = new ArrayList<>();
        for (ShardedTable t : tables) {
            if ("SPIDER".equalsIgnoreCase(t.engine()) && t.partitions() != null) {
                for (String partition : t.partitions().split("\n")) {
                    String server = server(partition);
                    if (server != null && !servers.contains(server)) {
                        servers.add(server);
                    }
                }
            }
        }
        return new Layout(servers, tables);
    }

    /**
     * On a head, makes {@code session} (a load's, before it has read anything) the head's one load at a time: it waits
     * for the head's lock of the database's loads, up to the head's lock_wait_timeout (ShardMapper.xml says why), and
     * returns the session, which lets go of the lock when it is closed. A load that waited starts after the one before
     * it has committed or rolled back, as on SQLite: it reads the keys and the load journal as that one left them.
     * Says in one sentence (exit code 3) that the wait timed out.
     */
    static SqlSession oneLoadAtATime(Database head, SqlSession session) {
        Map<String, Object> lock = session.getMapper(ShardMapper.class).lockLoads();
        Object granted = lock.get("granted");
        if (!(granted instanceof Number n) || n.intValue() != 1) {
            throw IspdbException.database(head.describe() + ": another load was running through this Spider head for"
                    + " longer than its lock_wait_timeout (" + lock.get("seconds") + " s), and ispdb's loads through a"
                    + " head run one at a time; run this one again when that one has finished", null);
        }
        return Database.hooked(session, "close", () -> {
            try {
                session.getMapper(ShardMapper.class).unlockLoads();
            } catch (RuntimeException lost) {
                // the connection is gone, and with it the lock
            }
        }, null);
    }

    /** The server a Spider comment names (srv "NAME"), or null. */
    static String server(String comment) {
        if (comment == null) {
            return null;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("srv \"([^\"]*)\"").matcher(comment);
        return m.find() ? m.group(1) : null;
    }

    /** ispdb_DATABASE_1, _2, ...: server definitions are the head's, shared by its databases. */
    static List<String> serverNames(String database, int count) {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            names.add("ispdb_" + database + "_" + i);
        }
        return names;
    }

    /**
     * Says in one sentence why a database of this URL cannot be a head, before anything is opened (opening a SQLite
     * URL would create its file).
     */
    public static void requireHeadUrl(String url) {
        Dialect dialect = Dialect.of(url);
        if (dialect != Dialect.MYSQL) {
            throw IspdbException.usage("--shards needs a MariaDB head (jdbc:mariadb://HOST:PORT/DB), not "
                    + Database.describe(url, dialect));
        }
    }

    /** The head's database name; says in one sentence why the server cannot be a head. */
    private static String requireSpiderHead(Database head) {
        requireHeadUrl(head.settings().url());
        try (SqlSession session = head.session(ExecutorType.SIMPLE)) {
            session.getConnection();
        }
        if (!head.spiderEngine()) {
            throw IspdbException.database(head.describe() + " has no Spider engine: --shards needs a head with"
                    + " mariadb-plugin-spider loaded (plugin-load-add = ha_spider.so; docs/sharding.md)", null);
        }
        String database = driverConfiguration(head.settings().url()).database();
        if (database == null || !database.matches("[A-Za-z0-9_]{1,40}")) {
            throw IspdbException.usage("--shards needs the head's URL to name its database, of letters, digits and _"
                    + " (up to 40): the backends' databases have the same name");
        }
        return database;
    }

    private static Configuration driverConfiguration(String url) {
        try {
            return Configuration.parse(Dialect.MYSQL.driverUrl(url));
        } catch (SQLException e) {
            throw IspdbException.usage("cannot read the head's URL " + Urls.redact(url) + ": " + e.getMessage());
        }
    }

    /**
     * The head's URL with the backend's address in place of the head's (jdbc:mariadb:[HA-MODE:]//ADDRESSES/DB?...):
     * the same database, user and options.
     */
    private static String backendUrl(String headUrl, Backend backend) {
        String url = Dialect.MYSQL.driverUrl(headUrl);
        int hosts = url.indexOf("//");
        int slash = url.indexOf('/', hosts + 2);
        String host = backend.host().contains(":") ? "[" + backend.host() + "]" : backend.host();
        return "jdbc:mariadb://" + host + ":" + backend.port() + url.substring(slash);
    }
}
