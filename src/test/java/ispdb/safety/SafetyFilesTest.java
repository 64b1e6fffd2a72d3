package ispdb.safety;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.testing.Cli;
import ispdb.testing.DatabaseTest;
import ispdb.testing.Fixtures;
import ispdb.testing.SafetySupport;
import ispdb.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files that are not what they should be: a read-only or full database, a database in a folder that does not
 * exist, giant fields and rows, password files others may read, passwords that must not leak into output, logs or
 * reject files, and the permissions of reject files.
 */
class SafetyFilesTest {
    static final int CUSTOMERS = 50;

    @TempDir
    Path tmp;

    final List<TestDatabase> databases = new ArrayList<>();
    final Cli cli = new Cli();

    @AfterEach
    void dropDatabases() {
        databases.forEach(TestDatabase::close);
    }

    /** A SQLite database with the schema, the payment methods and {@link #CUSTOMERS} customers. */
    TestDatabase sqlite() {
        TestDatabase db = TestDatabase.create(TestDatabase.Kind.SQLITE, tmp);
        databases.add(db);
        SafetySupport.prepare(db, tmp, CUSTOMERS);
        return db;
    }

    static Path file(TestDatabase db) {
        return Path.of(db.url().substring("jdbc:sqlite:".length()));
    }

    /** Exit code 3 and one sentence on standard error that says {@code what}; nothing on standard output. */
    static void refusedInOneSentence(Cli.Run r, String... what) {
        String sentence = r.err().strip();
        assertAll(r::toString,
                () -> assertEquals(3, r.exitCode()),
                () -> assertTrue(sentence.startsWith("ispdb: "), sentence),
                () -> assertFalse(sentence.contains("\n"), "more than one line"),
                () -> assertFalse(sentence.contains("Exception") || sentence.contains("\tat "), "a stack trace"),
                () -> assertEquals("", r.out()));
        for (String w : what) {
            assertTrue(sentence.contains(w), () -> "'" + w + "' is not in: " + sentence);
        }
    }

    /**
     * chmod 444 on the database file. Root may write to any file whatever its mode, so when the file is still
     * writable (the tests run as root) the database is opened through SQLite's read-only URI instead
     * ({@code jdbc:sqlite:file:PATH?mode=ro}): the same refusal, SQLITE_READONLY, from the same code.
     */
    @Test
    void aReadOnlyDatabaseRefusesWritesInOneSentenceAndNothingChanges() throws IOException {
        TestDatabase db = sqlite();
        Path file = file(db);
        String before = db.snapshot();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        try {
            String url = Files.isWritable(file) ? "jdbc:sqlite:file:" + file + "?mode=ro" : db.url();
            Path tx = SafetySupport.transactions(tmp, "tx.csv", 1, 100, CUSTOMERS);
            refusedInOneSentence(SafetySupport.run(tmp, "load-csv", "--url", url, "--table", "transactions",
                    tx.toString()), "read-only");
            refusedInOneSentence(SafetySupport.run(tmp, "record-prediction", "--url", url, "--customer", "1",
                    "--clv", "10"), "read-only");
            Cli.Run list = cli.run("list-customers", "--url", url, "--limit", "1");
            assertEquals(0, list.exitCode(), list::toString); // reading still works
        } finally {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
        assertEquals(before, db.snapshot());
    }

    @Test
    void aDatabaseInAFolderThatDoesNotExistIsNamedAndNothingIsCreated() {
        Path missing = tmp.resolve("no-such-folder");
        String url = "jdbc:sqlite:" + missing.resolve("deeper").resolve("isp.sqlite");
        Path tx = Fixtures.write(tmp, "tx.csv", Fixtures.TRANSACTIONS);
        for (String[] args : List.of(new String[] {"init-schema"},
                new String[] {"load-csv", "--table", "transactions", tx.toString()},
                new String[] {"record-prediction", "--customer", "1", "--clv", "2"},
                new String[] {"list-customers"})) {
            List<String> all = new ArrayList<>(List.of(args));
            all.addAll(List.of("--url", url));
            refusedInOneSentence(cli.run(all.toArray(String[]::new)), "does not exist",
                    missing.resolve("deeper").toString());
        }
        assertFalse(Files.exists(missing));
    }

    /**
     * A full disk, made with SQLite's own page limit (sqlite-jdbc passes URL parameters on as pragmas): the load
     * is refused whole, the database is intact and takes a load that fits.
     */
    @Test
    void aFullDatabaseRefusesTheWholeLoadAndStaysUsable() {
        TestDatabase db = sqlite();
        long pages = db.count("PRAGMA page_count");
        String url = db.url() + "?max_page_count=" + (pages + 8);
        String before = db.snapshot();
        Path big = SafetySupport.transactions(tmp, "big.csv", 1, 20_000, CUSTOMERS);
        refusedInOneSentence(SafetySupport.run(tmp, "load-csv", "--url", url, "--table", "transactions",
                big.toString()), "full");
        Path predictions = SafetySupport.predictions(tmp, "predictions.csv", 20_000, CUSTOMERS, "Full");
        refusedInOneSentence(cli.run("record-prediction", "--url", url, "--file", predictions.toString()), "full");
        assertEquals(before, db.snapshot());
        assertEquals("ok", db.query("PRAGMA integrity_check").get(0).get(0));

        Path small = SafetySupport.transactions(tmp, "small.csv", 1, 5, CUSTOMERS);
        Cli.Run fits = cli.run("load-csv", "--url", url, "--table", "transactions", small.toString());
        assertEquals(0, fits.exitCode(), fits::toString);
        assertEquals(5, db.count("SELECT COUNT(*) FROM fact_transaction"));
    }

    /** A 48 MB field, in a JVM with a 64 MB heap: a per-line error, not an OutOfMemoryError. */
    @Test
    void aFieldOverOneMebibyteIsALineErrorNotOutOfMemory() throws IOException {
        TestDatabase db = sqlite();
        String before = db.snapshot();
        Path file = SafetySupport.write(tmp, "huge.csv", w -> {
            w.write("transaction_id,customer_id,payment_method_id,transaction_date,amount\n");
            w.write("1,0,0,2023-01-01,1.5\n");
            w.write("2,0,0,2023-01-01,");
            char[] digits = new char[1 << 16];
            java.util.Arrays.fill(digits, '7');
            for (int i = 0; i < 48 * 16; i++) {
                w.write(digits);
            }
            w.write("\n3,0,0,2023-01-01,2.5\n");
        });
        Cli.Run r = SafetySupport.start(tmp, List.of("-Xmx64m"), "load-csv", "--url", db.url(),
                "--table", "transactions", file.toString()).await();
        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.err().contains("huge.csv:3: ") && r.err().contains("longer than"), r::toString);
        assertFalse(r.err().contains("OutOfMemory") || r.err().contains("internal error"), r::toString);
        assertEquals(before, db.snapshot());
    }

    @Test
    void aLineWith5000FieldsIsALineError() {
        TestDatabase db = sqlite();
        String before = db.snapshot();
        Path file = Fixtures.write(tmp, "wide.csv", "transaction_id,customer_id,payment_method_id,transaction_date,"
                + "amount\n1,0,0,2023-01-01,1.5\n2,0,0,2023-01-01,2.5" + ",x".repeat(4995) + "\n3,0,0,2023-01-01,3\n");
        Cli.Run r = cli.run("load-csv", "--url", db.url(), "--table", "transactions", file.toString());
        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.err().startsWith(file + ":3: row: has 5000 fields, the header has 5\n"), r::toString);
        assertEquals(before, db.snapshot());
    }

    /**
     * A bad row, or broken quoting, after thousands of good rows (several batches already sent to the database):
     * nothing of the load stays.
     */
    @Test
    void aLoadRejectedAfterManyGoodRowsLeavesNothing() throws IOException {
        TestDatabase db = sqlite();
        String before = db.snapshot();
        Path good = SafetySupport.transactions(tmp, "good.csv", 1, 2500, CUSTOMERS);
        String rows = Files.readString(good);
        Path badRow = Fixtures.write(tmp, "bad-row.csv", rows + "2501,0,0,2023-01-01,12,50\n");
        Cli.Run r = cli.run("load-csv", "--url", db.url(), "--table", "transactions", badRow.toString());
        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.err().startsWith(badRow + ":2502: row: has 6 fields"), r::toString);
        assertEquals(before, db.snapshot());

        Path badQuote = Fixtures.write(tmp, "bad-quote.csv", rows + "2501,0,0,\"2023-01-01,12.50\n");
        r = cli.run("load-csv", "--url", db.url(), "--table", "transactions", badQuote.toString());
        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.err().startsWith("ispdb: " + badQuote + ":2502: "), r::toString);
        assertEquals(before, db.snapshot());

        Path unknown = Fixtures.write(tmp, "predictions.csv", "customer_id,clv,predicted_customer_type,"
                + "is_campaign1_success,is_campaign2_success\n" + "1,2.5,Star,,\n".repeat(2500) + "999999,1,,,\n");
        r = cli.run("record-prediction", "--url", db.url(), "--file", unknown.toString());
        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.err().startsWith(unknown + ":2502: customer_id: unknown customer 999999"), r::toString);
        assertEquals(before, db.snapshot());
    }

    @Test
    void aPasswordFileOthersMayReadIsRefused() throws IOException {
        TestDatabase db = sqlite();
        String secret = "pw-" + Long.toHexString(System.nanoTime());
        Path pw = Fixtures.write(tmp, "password", secret + "\n");
        for (String mode : List.of("rw-r--r--", "rw-r-----", "rw----r--")) {
            Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString(mode));
            Cli.Run r = cli.run("list-customers", "--url", db.url(), "--password-file", pw.toString());
            assertEquals(2, r.exitCode(), () -> mode + ": " + r);
            String sentence = r.err().strip();
            assertTrue(sentence.startsWith("ispdb: --password-file " + pw) && sentence.contains("chmod 600")
                    && !sentence.contains("\n"), sentence);
            assertFalse(r.out().contains(secret) || r.err().contains(secret), r::toString);
        }
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
        Cli.Run ok = cli.run("list-customers", "--url", db.url(), "--password-file", pw.toString(), "--limit", "1");
        assertEquals(0, ok.exitCode(), ok::toString);
    }

    /**
     * Passwords given every way (in the URL as a parameter or as user:password@, in a password file) and runs that
     * fail or reject rows, with --verbose and --log-file: the password is nowhere in what ispdb writes.
     */
    @Test
    void passwordsNeverAppearInOutputLogFileOrRejectFile() throws IOException {
        TestDatabase db = sqlite();
        String secret = "Pw-" + Long.toHexString(System.nanoTime()) + "-x";
        Path pw = Fixtures.write(tmp, "password", secret + "\n");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
        Path log = tmp.resolve("ispdb.log");
        Path rejects = tmp.resolve("rejects.csv");
        Path tx = Fixtures.write(tmp, "tx.csv", "transaction_id,customer_id,payment_method_id,transaction_date,"
                + "amount\n1,0,0,2023-01-01,1.5\n2,0,0,2023-01-01,not a number\n");
        List<String[]> runs = List.of(
                new String[] {"list-customers", "--url", "jdbc:mysql://ispdb:" + secret + "@127.0.0.1:1/isp"},
                new String[] {"list-customers", "--url", "jdbc:postgresql://ispdb:" + secret + "@127.0.0.1:1/isp"},
                new String[] {"load-csv", "--url", "jdbc:postgresql://127.0.0.1:1/isp?user=ispdb&password=" + secret,
                    "--table", "transactions", tx.toString()},
                new String[] {"load-csv", "--url", db.url(), "--password-file", pw.toString(), "--table",
                    "transactions", tx.toString(), "--on-error", "skip", "--reject-file", rejects.toString()});
        List<SafetySupport.Child> children = new ArrayList<>();
        for (String[] args : runs) {
            List<String> all = new ArrayList<>(List.of(args));
            all.addAll(List.of("--verbose", "--log-file", log.toString()));
            children.add(SafetySupport.start(tmp, all.toArray(String[]::new)));
        }
        for (int i = 0; i < runs.size(); i++) {
            Cli.Run r = children.get(i).await();
            // USER:PASSWORD@ is refused before any driver sees it (exit code 2): neither driver takes it
            int expected = new int[] {2, 2, 3, 4}[i];
            assertEquals(expected, r.exitCode(), r::toString);
            assertFalse(r.out().contains(secret), r::toString);
            assertFalse(r.err().contains(secret), r::toString);
            assertTrue(r.err().contains("\tat ") || expected != 3, "--verbose shows the details: " + r);
        }
        String logged = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(logged.contains("cannot connect") && logged.contains("rejected 1"), logged);
        assertFalse(logged.contains(secret), logged);
        assertFalse(Files.readString(rejects, StandardCharsets.UTF_8).contains(secret));
    }

    /** A real server refusing the password (MariaDB's passwordless test user, given one). */
    @Test
    @Tag(DatabaseTest.TAG)
    void aRefusedPasswordIsNotShown() throws IOException {
        TestDatabase db = TestDatabase.create(TestDatabase.Kind.MARIADB, tmp);
        databases.add(db);
        String secret = "Pw-" + Long.toHexString(System.nanoTime()) + "-y";
        Path pw = Fixtures.write(tmp, "password", secret + "\n");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
        Path log = tmp.resolve("ispdb.log");
        Cli.Run r = SafetySupport.run(tmp, "init-schema", "--url", db.url(), "--password-file",
                pw.toString(), "--verbose", "--log-file", log.toString());
        assertFalse(r.out().contains(secret) || r.err().contains(secret), r::toString);
        assertFalse(Files.readString(log, StandardCharsets.UTF_8).contains(secret));
    }

    /**
     * Even with umask 000, a new reject file is rw------- ; an older one that is replaced keeps its mode (ispdb never
     * changes an existing file's mode).
     */
    @Test
    void rejectFilesAreReadableByTheirOwnerOnly() throws IOException {
        TestDatabase db = sqlite();
        Path rejects = tmp.resolve("rejects.csv");
        Path older = Fixtures.write(tmp, "older.csv", "older rejects\n");
        Files.setPosixFilePermissions(older, PosixFilePermissions.fromString("rw-rw----"));
        Path tx = Fixtures.write(tmp, "tx.csv", "transaction_id,customer_id,payment_method_id,transaction_date,"
                + "amount\n1,0,0,2023-01-01,1.5\n2,0,0,2023-01-01,\"12,50\"\n");
        for (Path file : List.of(rejects, older)) {
            Cli.Run r = SafetySupport.startWithUmask(tmp, "000", "load-csv", "--url", db.url(), "--table",
                    "transactions", tx.toString(), "--on-error", "skip", "--mode", "skip-existing", "--reject-file",
                    file.toString()).await();
            assertEquals(4, r.exitCode(), r::toString);
            assertEquals("file,line,column,problem,row\n" + tx + ",3,amount,\"not a number: '12,50'\",\"2,0,0,"
                    + "2023-01-01,\"\"12,50\"\"\"\n", Files.readString(file));
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(rejects)));
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(older)));
        // the check is real: the same wrapper gives a file made by another program rw-rw-rw-
        Path control = tmp.resolve("control");
        try {
            new ProcessBuilder("/bin/sh", "-c", "umask 000 && exec \"$@\"", "sh", "touch", control.toString())
                    .inheritIO().start().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertEquals("rw-rw-rw-", PosixFilePermissions.toString(Files.getPosixFilePermissions(control)));
    }
}
