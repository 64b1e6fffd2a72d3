package ispdb.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import ispdb.testing.Cli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A throw-away cluster of database servers on 127.0.0.1, started by one of the repository's scripts (which
 * scripts/bench uses too): {@code scripts/galera} (three MariaDB Galera nodes) or {@code scripts/pg-standby} (a
 * PostgreSQL primary and its streaming standby). A test class holds one in a static {@code @RegisterExtension} field:
 * it starts before the class's tests, with the schema and the sample data ({@link #withSampleData}), and stops
 * after them; a JVM shutdown hook stops it too, so that a test run that dies leaves no server behind. The servers'
 * folder is a temporary folder of its own under /tmp, deleted on close.
 *
 * <p>Where the binaries are missing the class's tests are skipped with a message ("SKIPPED: ..."), unless
 * {@code ISPDB_TEST_REQUIRE_SERVERS=1} (as .ci/run sets), which makes that a failure.
 */
final class LocalCluster implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
    /** Generous for these busy 2-core machines; a node usually is Synced in 10-20 s. */
    static final int START_TIMEOUT_SECONDS = 90;

    private final String what;
    private final List<List<String>> binaries;
    private final String packages;
    private final String name;
    private final String prefix;
    /** A node's JDBC URL, with %d for its port. */
    private final String urlFormat;
    private String schemaNode;
    private String loadNode;

    private Path script;
    private Path dir;
    private Map<String, Integer> ports;
    /** The address of each node that the script names one for (scripts/spider); others are on 127.0.0.1. */
    private final Map<String, String> hosts = new LinkedHashMap<>();
    private Thread hook;

    private LocalCluster(String what, List<List<String>> binaries, String packages, String name, String prefix,
            String url) {
        this.what = what;
        this.binaries = binaries;
        this.packages = packages;
        this.name = name;
        this.prefix = prefix;
        this.urlFormat = url;
    }

    /** Three Galera nodes, named "1", "2" and "3". */
    static LocalCluster galera() {
        return new LocalCluster("a MariaDB Galera cluster", List.of(
                List.of("/usr/lib/galera/libgalera_smm.so", "/usr/lib/libgalera_smm.so"),
                List.of("/usr/sbin/mariadbd"), List.of("/usr/bin/mariadb-install-db"), List.of("/usr/bin/mariadb"),
                List.of("/usr/bin/rsync")), "galera-4, mariadb-server, mariadb-client and rsync", "galera",
                "ispdb-galera-", "jdbc:mariadb://127.0.0.1:%d/test?user=root");
    }

    /**
     * A MariaDB Spider head (named "head", on 127.0.0.1, with the Spider engine) and three plain backends ("1", "2",
     * "3", on 127.0.0.2 to 127.0.0.4).
     */
    static LocalCluster spider() {
        return new LocalCluster("a MariaDB Spider head with three backends", List.of(
                List.of("/usr/lib/mysql/plugin/ha_spider.so"), List.of("/usr/sbin/mariadbd"),
                List.of("/usr/bin/mariadb-install-db"), List.of("/usr/bin/mariadb")),
                "mariadb-plugin-spider, mariadb-server and mariadb-client", "spider", "ispdb-spider-",
                "jdbc:mariadb://127.0.0.1:%d/test?user=root");
    }

    /** A PostgreSQL primary and its standby, named "primary" and "standby". */
    static LocalCluster postgresStandby() {
        List<String> pgCtl = new ArrayList<>();
        try (var bins = Files.newDirectoryStream(Path.of("/usr/lib/postgresql"))) {
            bins.forEach(b -> pgCtl.add(b.resolve("bin/pg_basebackup").toString()));
        } catch (IOException e) {
            // none
        }
        return new LocalCluster("a PostgreSQL primary with a standby", List.of(pgCtl.isEmpty()
                ? List.of("/usr/lib/postgresql/*/bin/pg_basebackup") : pgCtl), "postgresql", "pg-standby",
                "ispdb-pg-standby-", "jdbc:postgresql://127.0.0.1:%d/test?user=postgres");
    }

    /** Once started: the schema made through {@code schemaNode}, then sample-data/ loaded through {@code loadNode}. */
    LocalCluster withSampleData(String schemaNode, String loadNode) {
        this.schemaNode = schemaNode;
        this.loadNode = loadNode;
        return this;
    }

    /** Starts the servers (or skips the class where the binaries are missing), then loads the sample data. */
    @Override
    public void beforeAll(ExtensionContext context) {
        requireBinaries(what, binaries, packages);
        start();
        if (schemaNode != null) {
            Cli cli = new Cli();
            Cli.Run init = cli.run("init-schema", "--url", url(schemaNode));
            assertEquals(0, init.exitCode(), init::toString);
            Cli.Run load = cli.run("load-csv", "--url", url(loadNode), "--dir",
                    Path.of("sample-data").toAbsolutePath().toString());
            assertEquals(0, load.exitCode(), load::toString);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (hook != null) {
            close();
        }
    }

    private static void requireBinaries(String what, List<List<String>> anyOf, String packages) {
        for (List<String> alternatives : anyOf) {
            if (alternatives.stream().noneMatch(p -> Files.isExecutable(Path.of(p)) || Files.isRegularFile(Path.of(p)))) {
                String message = what + " cannot be started here: " + String.join(" or ", alternatives)
                        + " is missing (install " + packages + "); its tests are skipped";
                System.err.println("SKIPPED: " + message);
                if ("1".equals(System.getenv("ISPDB_TEST_REQUIRE_SERVERS"))) {
                    fail(message + " — ISPDB_TEST_REQUIRE_SERVERS=1 requires it");
                }
                Assumptions.abort(message);
            }
        }
    }

    private void start() {
        script = Path.of("scripts", name).toAbsolutePath();
        try {
            dir = Files.createTempDirectory(Path.of("/tmp"), prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path started = dir;
        hook = new Thread(() -> stop(script, started));
        Runtime.getRuntime().addShutdownHook(hook);
        String out = run(script, (START_TIMEOUT_SECONDS * 3 + 30), "start", dir.toString());
        ports = new LinkedHashMap<>();
        for (String line : out.strip().split("\n")) {
            String[] f = line.strip().split(" ");
            ports.put(f[0], Integer.parseInt(f[1]));
            if (f.length > 2) {
                hosts.put(f[0], f[2]);
            }
        }
    }

    /** The client port of a node ("1", "primary", ...). */
    int port(String node) {
        Integer port = ports.get(node);
        if (port == null) {
            throw new IllegalArgumentException("no node " + node + " in " + ports);
        }
        return port;
    }

    /** The JDBC URL of a node, as root (MariaDB) or postgres (PostgreSQL) in its database "test". */
    String url(String node) {
        return String.format(urlFormat, port(node)).replace("127.0.0.1:", host(node) + ":");
    }

    /** The address of a node (127.0.0.1 unless its script says otherwise). */
    String host(String node) {
        port(node);
        return hosts.getOrDefault(node, "127.0.0.1");
    }

    List<String> nodes() {
        return List.copyOf(ports.keySet());
    }

    /** Runs {@code SCRIPT ACTION DIR ARGS} (kill 2, stop-primary, promote, start-node 2). */
    void control(String action, String... args) {
        List<String> all = new ArrayList<>(List.of(action, dir.toString()));
        all.addAll(List.of(args));
        run(script, START_TIMEOUT_SECONDS * 2, all.toArray(String[]::new));
    }

    private static String run(Path script, int seconds, String... args) {
        return ispdb.testing.Scripts.run(script, seconds, args);
    }

    private static void stop(Path script, Path dir) {
        try {
            run(script, 120, "stop", dir.toString());
        } catch (RuntimeException e) {
            System.err.println("could not stop the servers in " + dir + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        stop(script, dir);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }
}
