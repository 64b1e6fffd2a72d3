package ispdb.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * The Spider head (and its backends) that the database-parameterised tests of the kind {@link TestDatabase.Kind#SPIDER}
 * run on, one for the whole test JVM: either given ({@code ISPDB_TEST_SPIDER_URL}, the head's JDBC URL of a database
 * the tests may connect to as a user who may create databases and server definitions, and
 * {@code ISPDB_TEST_SPIDER_SHARDS}, the backends as {@code --shards} names them, HOST:PORT,...; the backends are
 * reached with the head URL's user and options), or else started here by {@code scripts/spider} on the first test
 * that asks for it and stopped by a JVM shutdown hook (as {@code ispdb.cluster.LocalCluster} does for a class).
 * Where the servers cannot be started (the binaries are missing, the script fails) the Spider tests are skipped with
 * the reason, unless {@code ISPDB_TEST_REQUIRE_SERVERS=1}, which makes that a failure.
 */
final class SpiderHead {
    /** The servers' start may take a while on a busy 2-core machine (four datadirs, four servers). */
    private static final int START_SECONDS = 300;
    private static final List<String> BINARIES = List.of("/usr/lib/mysql/plugin/ha_spider.so", "/usr/sbin/mariadbd",
            "/usr/bin/mariadb-install-db", "/usr/bin/mariadb");

    /** The head's admin URL and the backends (HOST:PORT each). */
    record Servers(String headUrl, List<String> shards) {
        /** A backend's admin URL: the head's with the backend's address. */
        String backendUrl(String shard, String database) {
            String url = TestDatabase.withDatabase(headUrl, database);
            int hosts = url.indexOf("//") + 2;
            int slash = url.indexOf('/', hosts);
            return url.substring(0, hosts) + shard + url.substring(slash);
        }
    }

    private static Servers servers;
    private static String problem;

    private SpiderHead() {
    }

    /** The head and its backends (started on the first call), or the test skipped (failed on CI) saying why not. */
    static synchronized Servers servers() {
        if (servers == null && problem == null) {
            String url = System.getenv("ISPDB_TEST_SPIDER_URL");
            String shards = System.getenv("ISPDB_TEST_SPIDER_SHARDS");
            if (url != null && !url.isBlank()) {
                if (shards == null || shards.isBlank()) {
                    throw new IllegalArgumentException("ISPDB_TEST_SPIDER_URL is set without ISPDB_TEST_SPIDER_SHARDS"
                            + " (the backends, HOST:PORT,HOST:PORT,...)");
                }
                servers = new Servers(url.strip(), List.of(shards.strip().split("\\s*,\\s*")));
            } else {
                start();
            }
        }
        if (problem != null) {
            if ("1".equals(System.getenv("ISPDB_TEST_REQUIRE_SERVERS"))) {
                fail(problem + " — ISPDB_TEST_REQUIRE_SERVERS=1 requires it");
            }
            Assumptions.abort(problem);
        }
        return servers;
    }

    private static void start() {
        for (String binary : BINARIES) {
            if (!Files.exists(Path.of(binary))) {
                problem = "a MariaDB Spider head cannot be started here: " + binary + " is missing (install"
                        + " mariadb-plugin-spider, mariadb-server and mariadb-client); its tests are skipped";
                System.err.println("SKIPPED: " + problem);
                return;
            }
        }
        Path script = Path.of("scripts", "spider").toAbsolutePath();
        Path dir;
        try {
            dir = Files.createTempDirectory(Path.of("/tmp"), "ispdb-spider-suite-");
        } catch (IOException e) {
            problem = "a MariaDB Spider head cannot be started here: no folder in /tmp (" + e.getMessage() + ")";
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Scripts.run(script, 120, "stop", dir.toString());
            } catch (RuntimeException e) {
                System.err.println("could not stop the Spider servers in " + dir + ": " + e.getMessage());
            }
        }));
        String out;
        // scripts/spider itself lets one start at a time choose its ports (two test JVMs start side by side)
        try {
            out = Scripts.run(script, START_SECONDS, "start", dir.toString());
        } catch (RuntimeException e) {
            problem = "a MariaDB Spider head could not be started by scripts/spider: " + e.getMessage().strip();
            System.err.println("SKIPPED: " + problem);
            return;
        }
        String head = null;
        List<String> shards = new ArrayList<>();
        for (String line : out.strip().split("\n")) {
            String[] f = line.strip().split(" ");
            if (f[0].equals("head")) {
                head = "jdbc:mariadb://" + f[2] + ":" + f[1] + "/test?user=root";
            } else {
                shards.add(f[2] + ":" + f[1]);
            }
        }
        servers = new Servers(head, shards);
    }
}
