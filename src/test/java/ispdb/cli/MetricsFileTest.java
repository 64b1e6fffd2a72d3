package ispdb.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.report.Metrics;
import ispdb.testing.Cli;
import ispdb.testing.DatabaseTest;
import ispdb.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * --metrics-file: Prometheus' text format for node_exporter's textfile collector, each command's series replaced and
 * the others' kept, the last success kept when a run fails, the file replaced atomically, a bad path refused.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("ispdb.testing.TestDatabase#kinds")
class MetricsFileTest extends DatabaseTest {
    static final List<String> SERIES = List.of("ispdb_last_run_timestamp_seconds",
            "ispdb_last_success_timestamp_seconds", "ispdb_last_exit_code", "ispdb_duration_seconds",
            "ispdb_rows_loaded", "ispdb_rows_rejected");
    private static final Pattern SAMPLE = Pattern.compile("([a-z_]+)\\{([^}]*)\\} (\\S+)");

    /** The file's samples: "name{labels}" to value. */
    static Map<String, String> samples(Path file) throws IOException {
        Map<String, String> samples = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertTrue(m.matches(), "not a sample line: " + line);
            assertNull(samples.put(m.group(1) + "{" + m.group(2) + "}", m.group(3)), "twice: " + line);
        }
        return samples;
    }

    Path metrics() {
        return tmp.resolve("ispdb.prom");
    }

    Cli.Run run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--url", db.url(), "--metrics-file", metrics().toString()));
        return cli.run(all.toArray(String[]::new));
    }

    Cli.Run loadCustomers() {
        return run("load-csv", "--table", "customers", Fixtures.write(tmp, "c.csv", Fixtures.CUSTOMERS).toString());
    }

    @Test
    void aLoadWritesEverySeriesWithHelpAndType() throws IOException {
        initSchema();
        double before = System.currentTimeMillis() / 1000.0;
        Cli.Run load = loadCustomers();
        assertEquals(0, load.exitCode(), load::toString);
        double after = System.currentTimeMillis() / 1000.0;
        String text = Files.readString(metrics());
        for (String name : SERIES) {
            assertTrue(text.contains("# HELP " + name + " "), name);
            assertTrue(text.contains("# TYPE " + name + " gauge\n"), name);
        }
        Map<String, String> s = samples(metrics());
        String c = "command=\"load-csv\"";
        double run = Double.parseDouble(s.get("ispdb_last_run_timestamp_seconds{" + c + "}"));
        assertAll(s::toString,
                () -> assertTrue(run >= before - 0.01 && run <= after + 0.01, "run " + run),
                () -> assertEquals(s.get("ispdb_last_run_timestamp_seconds{" + c + "}"),
                        s.get("ispdb_last_success_timestamp_seconds{" + c + "}")),
                () -> assertEquals("0", s.get("ispdb_last_exit_code{" + c + "}")),
                () -> assertTrue(Double.parseDouble(s.get("ispdb_duration_seconds{" + c + "}")) > 0),
                () -> assertEquals("5", s.get("ispdb_rows_loaded{" + c + ",table=\"dim_customer\"}")),
                () -> assertEquals("0", s.get("ispdb_rows_rejected{" + c + ",table=\"dim_customer\"}")),
                () -> assertEquals(6, s.size()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(metrics())));
        assertNoTemporaryFile();
        promtool(metrics());
    }

    @Test
    void otherCommandsSeriesAreKeptAndAFailureKeepsTheLastSuccess() throws IOException {
        initSchema();
        assertEquals(0, loadCustomers().exitCode());
        Cli.Run list = run("list-customers", "--limit", "1");
        assertEquals(0, list.exitCode(), list::toString);
        Map<String, String> first = samples(metrics());
        String load = "command=\"load-csv\"";
        String success = first.get("ispdb_last_success_timestamp_seconds{" + load + "}");
        assertNotNull(success, first::toString);
        assertEquals("0", first.get("ispdb_last_exit_code{command=\"list-customers\"}"), first::toString);
        assertFalse(first.containsKey("ispdb_rows_loaded{command=\"list-customers\"}"), "list-customers loads nothing");
        // the same rows again: refused by their keys, the run fails (exit 1), nothing loaded
        Cli.Run again = run("load-csv", "--table", "customers", tmp.resolve("c.csv").toString());
        assertEquals(1, again.exitCode(), again::toString);
        Map<String, String> s = samples(metrics());
        assertAll(s::toString,
                () -> assertEquals("1", s.get("ispdb_last_exit_code{" + load + "}")),
                () -> assertEquals(success, s.get("ispdb_last_success_timestamp_seconds{" + load + "}")),
                () -> assertTrue(Double.parseDouble(s.get("ispdb_last_run_timestamp_seconds{" + load + "}"))
                        >= Double.parseDouble(success)),
                () -> assertFalse(s.containsKey("ispdb_rows_loaded{" + load + ",table=\"dim_customer\"}")),
                () -> assertEquals(first.get("ispdb_last_run_timestamp_seconds{command=\"list-customers\"}"),
                        s.get("ispdb_last_run_timestamp_seconds{command=\"list-customers\"}")));
        // a usage error (no such input) is a run too
        Cli.Run missing = run("load-csv", "--table", "customers", tmp.resolve("none.csv").toString());
        assertEquals(2, missing.exitCode(), missing::toString);
        assertEquals("2", samples(metrics()).get("ispdb_last_exit_code{" + load + "}"));
        assertNoTemporaryFile();
        promtool(metrics());
    }

    @Test
    void recordPredictionAndCopyReportTheirRowsPerTable() throws IOException {
        initSchema();
        assertEquals(0, loadCustomers().exitCode());
        Path predictions = Fixtures.write(tmp, "p.csv", Fixtures.PREDICTIONS);
        Cli.Run record = run("record-prediction", "--file", predictions.toString());
        assertEquals(0, record.exitCode(), record::toString);
        Path copy = tmp.resolve("copy.sqlite");
        Cli.Run copied = cli.run("copy", "--from", db.url(), "--to", "jdbc:sqlite:" + copy, "--quiet",
                "--metrics-file", metrics().toString());
        assertEquals(0, copied.exitCode(), copied::toString);
        Map<String, String> s = samples(metrics());
        assertAll(s::toString,
                () -> assertEquals("3", s.get("ispdb_rows_loaded{command=\"record-prediction\","
                        + "table=\"clv_prediction\"}")),
                () -> assertEquals("5", s.get("ispdb_rows_loaded{command=\"copy\",table=\"dim_customer\"}")),
                () -> assertEquals("3", s.get("ispdb_rows_loaded{command=\"copy\",table=\"clv_prediction\"}")),
                () -> assertEquals("5", s.get("ispdb_rows_loaded{command=\"load-csv\",table=\"dim_customer\"}")));
        promtool(metrics());
    }

    @Test
    void theSettingsFileNamesIt() throws IOException {
        initSchema();
        Path settings = Fixtures.write(tmp, "ispdb.properties", "metrics-file=from-settings.prom\n");
        Files.setPosixFilePermissions(settings, PosixFilePermissions.fromString("rw-------"));
        Cli.Run r = cli.run("schema-status", "--url", db.url(), "--config", settings.toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("0", samples(tmp.resolve("from-settings.prom")).get("ispdb_last_exit_code{command=\"schema-status\"}"));
    }

    @Test
    void aBadPathIsOneSentenceBeforeAnyWork() throws IOException {
        initSchema();
        String rows = db.snapshot();
        Cli.Run noFolder = cli.run("load-csv", "--url", db.url(), "--table", "customers",
                Fixtures.write(tmp, "c.csv", Fixtures.CUSTOMERS).toString(), "--metrics-file",
                tmp.resolve("none/ispdb.prom").toString());
        assertEquals(2, noFolder.exitCode(), noFolder::toString);
        assertEquals("ispdb: cannot write the metrics file " + tmp.resolve("none/ispdb.prom") + ": its folder "
                + tmp.resolve("none") + " does not exist\n", noFolder.err());
        assertEquals(rows, db.snapshot(), "the load went ahead");
        if (kind == ispdb.testing.TestDatabase.Kind.SQLITE) {
            String file = db.url().substring("jdbc:sqlite:".length());
            Cli.Run database = cli.run("list-customers", "--url", db.url(), "--metrics-file", file);
            assertEquals(2, database.exitCode(), database::toString);
            assertTrue(database.err().startsWith("ispdb: --metrics-file " + file + " is the database file "),
                    database::toString);
            assertEquals(1, database.err().strip().lines().count(), database::toString);
        }
    }

    /** Commands ending at once each keep their series (a lock around read, merge and replace). */
    @Test
    void commandsEndingAtOnceKeepEachOthersSeries() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                String command = "command-" + i;
                runs.add(pool.submit(() -> Metrics.write("--metrics-file", metrics(), List.of(), List.of(),
                        new Metrics.Run(command, 1.5e9, 0.25, 0, List.of()))));
            }
            for (Future<?> f : runs) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdown();
        }
        Map<String, String> s = samples(metrics());
        for (int i = 0; i < 24; i++) {
            assertEquals("0", s.get("ispdb_last_exit_code{command=\"command-" + i + "\"}"), s::toString);
        }
        assertNoTemporaryFile();
    }

    /** SIGTERM before the load commits: the metrics say exit code 143, and no rows. */
    @Test
    void sigtermWritesTheMetricsWithItsExitCode() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(kind == ispdb.testing.TestDatabase.Kind.SQLITE,
                "the signal path does not depend on the database");
        initSchema();
        ispdb.testing.SafetySupport.Child child = ispdb.testing.SafetySupport.start(tmp, List.of(), true, "load-csv",
                "--url", db.url(), "--table", "customers", "-", "--metrics-file", metrics().toString());
        child.process.getOutputStream().write(("customer_id,age,gender,first_transaction_date,"
                + "last_transaction_date,survival_time,event_observed\n901,30,Male,,,,\n").getBytes(
                StandardCharsets.UTF_8));
        child.process.getOutputStream().flush();
        // the lock file is made when the run starts, before it reads its input
        Path lock = tmp.resolve(".ispdb.prom.lock");
        while (!Files.exists(lock) && child.isAlive()) {
            Thread.sleep(5);
        }
        Thread.sleep(300);
        Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(child.process.pid())).start();
        assertEquals(0, kill.waitFor());
        Cli.Run r = child.await();
        assertEquals(143, r.exitCode(), r::toString);
        Map<String, String> s = samples(metrics());
        assertEquals("143", s.get("ispdb_last_exit_code{command=\"load-csv\"}"), s::toString);
        assertFalse(s.containsKey("ispdb_last_success_timestamp_seconds{command=\"load-csv\"}"), s::toString);
        assertNoTemporaryFile();
    }

    void assertNoTemporaryFile() throws IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            List<String> left = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
            assertEquals(List.of(), left, "temporary files left");
        }
    }

    /** {@code promtool check metrics < file}, when promtool is installed (Debian's prometheus package). */
    static void promtool(Path file) throws IOException {
        Path promtool = Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin").split(":"))
                .map(d -> Path.of(d, "promtool")).filter(Files::isExecutable).findFirst().orElse(null);
        if (promtool == null) {
            System.out.println("SKIPPED: promtool is not installed (Debian package prometheus): the metrics file "
                    + "was checked by parsing only");
            return;
        }
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectInput(file.toFile())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            assertEquals(0, p.waitFor(), () -> "promtool check metrics: " + output + "\n" + readQuietly(file));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
