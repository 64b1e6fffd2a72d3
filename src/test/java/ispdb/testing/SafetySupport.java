package ispdb.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * For the Safety* tests: the real application started as a child process ({@code java -cp ... ispdb.cli.Main}),
 * and generated CSV files large enough to keep a load busy for a while.
 */
public final class SafetySupport {
    /** A child JVM that has ended on its own is given this long at most (a hung child fails the test). */
    public static final long CHILD_TIMEOUT_SECONDS = 120;

    private static volatile String classPath;

    private SafetySupport() {
    }

    /** A running child ispdb, its output going to files (so a full pipe never blocks it). */
    public static final class Child {
        public final Process process;
        public final Path out;
        public final Path err;

        public Child(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        /** SIGKILL on Linux: no shutdown hooks, no finally blocks, no chance to clean up. */
        public void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        /** What the finished child gave: its exit code and what it wrote, as an in-process run gives them. */
        public Cli.Run await() {
            try {
                if (!process.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    fail("the child ispdb did not end within " + CHILD_TIMEOUT_SECONDS + " s: " + read(err));
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return new Cli.Run(process.exitValue(), read(out), read(err));
        }
    }

    /**
     * The class path of this test run, for a child JVM: java.class.path itself, unless that is only surefire's
     * booter jar (a manifest-only jar), in which case the real entries come from surefire's property or from
     * the booter jar's manifest.
     */
    public static String classPath() {
        String cp = classPath;
        if (cp == null) {
            cp = System.getProperty("java.class.path");
            if (!cp.contains(File.pathSeparator) && cp.endsWith(".jar") && cp.contains("surefire")) {
                String fromSurefire = System.getProperty("surefire.test.class.path");
                cp = fromSurefire != null && !fromSurefire.isBlank() ? fromSurefire : manifestClassPath(Path.of(cp));
            }
            classPath = cp;
        }
        return cp;
    }

    private static String manifestClassPath(Path jar) {
        try (JarFile j = new JarFile(jar.toFile())) {
            Manifest m = j.getManifest();
            String entries = m.getMainAttributes().getValue("Class-Path");
            List<String> paths = new ArrayList<>();
            for (String e : entries.trim().split("\\s+")) {
                paths.add(Path.of(java.net.URI.create(e.startsWith("file:") ? e : jar.getParent().toUri().resolve(e)
                        .toString())).toString());
            }
            return String.join(File.pathSeparator, paths);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts {@code ispdb ARGS} in a child JVM with the given JVM options, in {@code dir}. */
    public static Child start(Path dir, List<String> jvmOptions, String... args) {
        return start(dir, jvmOptions, false, args);
    }

    /**
     * Starts {@code ispdb ARGS} in a child JVM; with {@code pipeInput} its standard input is a pipe the test writes
     * to ({@link Child#process}'s output stream), else it is empty.
     */
    public static Child start(Path dir, List<String> jvmOptions, boolean pipeInput, String... args) {
        return start(dir, jvmOptions, pipeInput, null, args);
    }

    /** Starts {@code ispdb ARGS} with the child's umask set first (by /bin/sh). */
    public static Child startWithUmask(Path dir, String umask, String... args) {
        return start(dir, List.of(), false, umask, args);
    }

    /** Starts {@code ispdb ARGS} with these environment variables set (such as LC_ALL=C, as cron has it). */
    public static Child startWithEnvironment(Path dir, java.util.Map<String, String> environment, String... args) {
        return start(dir, List.of(), false, null, environment, args);
    }

    private static Child start(Path dir, List<String> jvmOptions, boolean pipeInput, String umask, String[] args) {
        return start(dir, jvmOptions, pipeInput, umask, java.util.Map.of(), args);
    }

    /**
     * Starts {@code ispdb ARGS} with its standard output going to {@code out} (a FIFO the test holds, say), the
     * given JVM options, and its standard input empty.
     */
    public static Child startWithOutput(Path dir, Path out, List<String> jvmOptions, String... args) {
        return start(dir, jvmOptions, false, null, java.util.Map.of(), out, args);
    }

    private static Child start(Path dir, List<String> jvmOptions, boolean pipeInput, String umask,
            java.util.Map<String, String> environment, String[] args) {
        return start(dir, jvmOptions, pipeInput, umask, environment, null, args);
    }

    private static Child start(Path dir, List<String> jvmOptions, boolean pipeInput, String umask,
            java.util.Map<String, String> environment, Path stdout, String[] args) {
        List<String> command = new ArrayList<>();
        if (umask != null) {
            command.addAll(List.of("/bin/sh", "-c", "umask " + umask + " && exec \"$@\"", "sh"));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:+UseSerialGC");
        command.add("-Xshare:auto");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath());
        command.add("ispdb.cli.Main");
        command.addAll(Arrays.asList(args));
        try {
            Files.createDirectories(dir);
            Path out = stdout != null ? stdout : Files.createTempFile(dir, "child-", ".out");
            Path err = Files.createTempFile(dir, "child-", ".err");
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(pipeInput ? ProcessBuilder.Redirect.PIPE
                            : ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().remove("ISPDB_URL");
            pb.environment().remove("ISPDB_USER");
            pb.environment().remove("ISPDB_PASSWORD");
            pb.environment().remove("ISPDB_JAVA_OPTS");
            pb.environment().putAll(environment);
            return new Child(pb.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Child start(Path dir, String... args) {
        return start(dir, List.of(), args);
    }

    /** Runs {@code ispdb ARGS} in a child JVM to its end. */
    public static Cli.Run run(Path dir, String... args) {
        return start(dir, args).await();
    }

    public static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    /** A customers export with customer_id 0 .. n-1. */
    public static Path customers(Path dir, String name, int n) {
        return write(dir, name, w -> {
            w.write("customer_id,age,gender,first_transaction_date,last_transaction_date,survival_time,event_observed\n");
            for (int i = 0; i < n; i++) {
                w.write(i + "," + (18 + i % 70) + "," + (i % 2 == 0 ? "Female" : "Male")
                        + ",2021-01-01 10:00:00.000000,2023-06-30 12:30:00.250000," + (i % 900) + ","
                        + (i % 3 == 0 ? "True" : "False") + "\n");
            }
        });
    }

    /** A transactions export with transaction_id first .. first+n-1, over customers 0 .. customers-1. */
    public static Path transactions(Path dir, String name, long first, int n, int customers) {
        return write(dir, name, w -> {
            w.write("transaction_id,customer_id,payment_method_id,transaction_date,amount\n");
            StringBuilder line = new StringBuilder(96);
            for (long id = first; id < first + n; id++) {
                w.write(transactionLine(line, id, customers));
            }
        });
    }

    /** One line (with its line end) of a transactions export. */
    public static String transactionLine(StringBuilder line, long id, int customers) {
        line.setLength(0);
        line.append(id).append(',').append(id % customers).append(',').append(id % 5).append(",2022-");
        two(line, 1 + id % 12).append('-');
        two(line, 1 + id % 28).append(' ');
        two(line, id % 24).append(':');
        two(line, id % 60).append(':');
        two(line, id * 7 % 60).append('.');
        String micros = Long.toString(1_000_000 + id % 1_000_000);
        line.append(micros, 1, 7).append(',').append(id % 100_000 / 100).append('.');
        two(line, id % 100).append('\n');
        return line.toString();
    }

    private static StringBuilder two(StringBuilder b, long v) {
        return b.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }

    /** A predictions file (no prediction_id, no predicted_at) of n rows over customers 0 .. customers-1. */
    public static Path predictions(Path dir, String name, int n, int customers, String tag) {
        return write(dir, name, w -> {
            w.write("customer_id,clv,predicted_customer_type,is_campaign1_success,is_campaign2_success\n");
            for (int i = 0; i < n; i++) {
                w.write((i % customers) + "," + (100 + i) + ".5," + tag + "," + (i % 2 == 0) + ",\n");
            }
        });
    }

    public interface Body {
        void write(BufferedWriter w) throws IOException;
    }

    public static Path write(Path dir, String name, Body body) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(name);
            try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                body.write(w);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** init-schema, then the payment methods and {@code customers} customers, through the in-process CLI. */
    public static void prepare(TestDatabase db, Path dir, int customers) {
        Cli cli = new Cli();
        Cli.Run init = cli.run(ispdb.testing.TestDatabase.initSchemaArguments(db.url()));
        assertEquals(0, init.exitCode(), init::toString);
        Cli.Run pm = cli.run("load-csv", "--url", db.url(), "--table", "payment-methods",
                Fixtures.write(dir, "payment_methods.csv", Fixtures.PAYMENT_METHODS).toString());
        assertEquals(0, pm.exitCode(), pm::toString);
        Cli.Run c = cli.run("load-csv", "--url", db.url(), "--table", "customers",
                customers(dir, "customers.csv", customers).toString());
        assertEquals(0, c.exitCode(), c::toString);
    }

    /**
     * How far a running child has read a file, in bytes, from its open file's offset in /proc (Linux), or -1 while
     * it does not have the file open.
     */
    public static long bytesRead(Child child, Path file) {
        Path fds = Path.of("/proc", Long.toString(child.process.pid()), "fd");
        Path target = file.toAbsolutePath().normalize();
        try (var entries = Files.newDirectoryStream(fds)) {
            for (Path fd : entries) {
                try {
                    if (Files.readSymbolicLink(fd).equals(target)) {
                        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(child.process.pid()),
                                "fdinfo", fd.getFileName().toString()))) {
                            if (line.startsWith("pos:")) {
                                return Long.parseLong(line.substring(4).strip());
                            }
                        }
                    }
                } catch (IOException | NumberFormatException e) {
                    // the descriptor went away meanwhile
                }
            }
        } catch (IOException e) {
            return -1; // the process has ended
        }
        return -1;
    }

    /** Waits until the child has read at least {@code bytes} of the file (or has ended); whether it did. */
    public static boolean awaitRead(Child child, Path file, long bytes) throws InterruptedException {
        long end = System.nanoTime() + CHILD_TIMEOUT_SECONDS * 1_000_000_000L;
        while (System.nanoTime() < end && child.isAlive()) {
            if (bytesRead(child, file) >= bytes) {
                return true;
            }
            Thread.sleep(2);
        }
        return false;
    }

    /**
     * Waits (up to {@code millis}) until the child's load is writing in a transaction it has not committed: on
     * SQLite it holds the write lock (another connection's BEGIN IMMEDIATE is refused at once); on PostgreSQL it
     * holds a row-exclusive lock on {@code table}; on MariaDB an InnoDB transaction on this database has changed
     * rows. Whether it is.
     */
    public static boolean awaitWriting(TestDatabase db, String table, Child child, long millis) throws Exception {
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end && child.isAlive()) {
            if (writing(db, table)) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    private static boolean writing(TestDatabase db, String table) throws java.sql.SQLException {
        switch (db.kind()) {
            case SQLITE -> {
                try (java.sql.Connection c = db.connect(); java.sql.Statement s = c.createStatement()) {
                    s.execute("PRAGMA busy_timeout = 0");
                    try {
                        s.execute("BEGIN IMMEDIATE");
                    } catch (java.sql.SQLException busy) {
                        return true;
                    }
                    s.execute("ROLLBACK");
                    return false;
                }
            }
            case POSTGRESQL -> {
                return db.count("SELECT COUNT(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                        + "WHERE l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                        + "AND c.relname = '" + table + "' AND l.mode = 'RowExclusiveLock' "
                        + "AND l.pid <> pg_backend_pid()") > 0;
            }
            case SPIDER -> {
                // the rows are written on the backends, in the head's sessions there (in a database of its name)
                for (String backend : db.backendUrls()) {
                    try (java.sql.Connection c = java.sql.DriverManager.getConnection(backend);
                            java.sql.Statement s = c.createStatement();
                            java.sql.ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.innodb_trx t"
                                    + " JOIN information_schema.processlist p ON p.id = t.trx_mysql_thread_id"
                                    + " WHERE (p.db = DATABASE() OR t.trx_query LIKE CONCAT('%`', DATABASE(), '`%'))"
                                    + " AND t.trx_rows_modified > 0")) {
                        if (rs.next() && rs.getLong(1) > 0) {
                            return true;
                        }
                    }
                }
                return false;
            }
            default -> {
                return db.count("SELECT COUNT(*) FROM information_schema.innodb_trx t "
                        + "JOIN information_schema.processlist p ON p.id = t.trx_mysql_thread_id "
                        + "WHERE p.db = DATABASE() AND t.trx_rows_modified > 0") > 0;
            }
        }
    }

    /** Waits (up to {@code millis}) until the file exists; whether it does. */
    public static boolean awaitFile(Path file, Child child, long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end && child.isAlive()) {
            if (Files.exists(file)) {
                return true;
            }
            Thread.sleep(5);
        }
        return Files.exists(file);
    }
}
