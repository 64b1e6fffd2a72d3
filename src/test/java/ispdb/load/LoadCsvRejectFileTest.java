package ispdb.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import ispdb.testing.Cli;
import ispdb.testing.Fixtures;
import ispdb.testing.SafetySupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * load-csv --on-error skip --reject-file F, on each database: the good rows load, every bad row goes to F with
 * its text verbatim, the summary accounts for every row, exit code 4.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("ispdb.testing.TestDatabase#kinds")
class LoadCsvRejectFileTest extends LoadCsvTestBase {
    static final List<String> REJECT_HEADER = List.of("file", "line", "column", "problem", "row");
    static final String ALREADY = " is already in dim_customer (to replace such rows use --mode upsert, to keep them "
            + "--mode skip-existing)";

    @BeforeEach
    void schemaAndSeed() {
        initSchema();
        seed();
    }

    /** The records of a reject file, header first, read back with Jackson. */
    static List<List<String>> records(Path file) {
        try (MappingIterator<List<String>> it = new CsvMapper().readerForListOf(String.class)
                .with(CsvParser.Feature.WRAP_AS_ARRAY).readValues(file.toFile())) {
            return it.readAll();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void assertOwnerOnly(Path file) throws IOException {
        assertMode("rw-------", file);
    }

    /** A file ispdb replaced keeps the mode it had. */
    static void assertMode(String mode, Path file) throws IOException {
        assertEquals(mode, PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file::toString);
    }

    /** No temporary reject file was left beside the target. */
    static void assertNoTemporaryFiles(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            List<String> left = entries.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
            assertEquals(List.of(), left);
        }
    }

    @Test
    void loadsTheGoodRowsAndWritesEveryBadRowVerbatimToAPrivateFile() throws IOException {
        String[] lines = {
            "customer_id,age,gender,first_transaction_date,last_transaction_date,survival_time,event_observed",
            "10,30,\"Female, \"\"F\"\"\",2020-01-01,,,true", // 2: good
            "11,abc,\"multi\nline\",2020-01-01,,,true", // 3-4: age
            "\"12\",40,Male,,,,no", // 5: good
            "\"13\",41,\"Male\",,,,maybe", // 6: event_observed
            "2,20,Male,,,,", // 7: already in the table
            "14,42,\"x\",,,,1", // 8: good
            "10,1,y,,,,", // 9: on an earlier line
            "15,1,2", // 10: field count
        };
        String f = csv("customers.csv", String.join("\n", lines) + "\n");
        Path rejects = files.resolve("rejects.csv");
        Cli.Run run = load("--table", "customers", f, "--on-error", "skip", "--reject-file", rejects.toString());
        assertSummary(run, 4, "loaded 3 of 8 rows into dim_customer; rejected 5 (see " + rejects + ")");

        List<String> expected = new ArrayList<>(SEEDED_CUSTOMERS);
        expected.add("10|30|Female, \"F\"|2020-01-01 00:00:00.000000|NULL|NULL|1");
        expected.add("12|40|Male|NULL|NULL|NULL|0");
        expected.add("14|42|x|NULL|NULL|NULL|1");
        assertEquals(expected, customers());

        assertEquals(List.of(REJECT_HEADER,
                List.of(f, "3", "age", "not a whole number: 'abc'", lines[2]),
                List.of(f, "6", "event_observed", "not true/false, 1/0 or yes/no: 'maybe'", lines[4]),
                List.of(f, "7", "customer_id", "2" + ALREADY, lines[5]),
                List.of(f, "9", "customer_id", "10 is on an earlier line too", lines[7]),
                List.of(f, "10", "row", "has 3 fields, the header has 7", lines[8])), records(rejects));
        assertTrue(Files.readString(rejects).startsWith("file,line,column,problem,row\n"));
        assertOwnerOnly(rejects);
        assertNoTemporaryFiles(files);
    }

    @Test
    void standardInputWithBomAndCrlfReplacesAnOlderRejectFile() throws IOException {
        Path rejects = Fixtures.write(files, "rejects.csv", "an older reject file\n");
        Files.setPosixFilePermissions(rejects, PosixFilePermissions.fromString("rw-r--r--"));
        String[] lines = {
            "transaction_id,customer_id,payment_method_id,transaction_date,amount",
            "1,0,0,2020-01-01 10:00:00.25,1.5",
            "2,77,0,2020-01-01,2",
            "3,1,4,2020-01-02T00:00:00,3",
            "4,1,4,2020-01-02,\"1,5\"",
        };
        byte[] body = (String.join("\r\n", lines) + "\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] input = new byte[body.length + 3];
        input[0] = (byte) 0xEF;
        input[1] = (byte) 0xBB;
        input[2] = (byte) 0xBF;
        System.arraycopy(body, 0, input, 3, body.length);
        Cli.Run run = loadStdin(input, "--table", "transactions", "-", "--on-error", "skip",
                "--reject-file", rejects.toString());
        assertSummary(run, 4, "loaded 2 of 4 rows into fact_transaction; rejected 2 (see " + rejects + ")");
        assertEquals(List.of("1|0|0|2020-01-01 10:00:00.250000|1.5", "3|1|4|2020-01-02 00:00:00.000000|3.0"),
                transactions());
        assertEquals(List.of(REJECT_HEADER,
                List.of("<stdin>", "3", "customer_id", "unknown customer 77", lines[2]),
                List.of("<stdin>", "5", "amount", "not a number: '1,5'", lines[4])), records(rejects));
        assertMode("rw-r--r--", rejects); // replaced, with the mode it had
        assertNoTemporaryFiles(files);
    }

    @Test
    void blankLinesAreNeitherRowsNorPartOfARejectedRow() throws IOException {
        String header = "payment_method_id,payment_method_name";
        // a line of spaces and a blank line after line 3, blank lines at the end
        String f = csv("pm.csv", header + "\r\n5,ok\r\nx,\"bad\r\none\"\r\n   \r\n\r\n6,fine\r\n7,\r\n\r\n\r\n");
        Path rejects = files.resolve("rejects.csv");
        Cli.Run run = load("--table", "payment-methods", f, "--on-error", "skip", "--reject-file", rejects.toString());
        assertSummary(run, 4, "loaded 2 of 4 rows into dim_payment_method; rejected 2 (see " + rejects + ")");
        assertEquals(List.of(REJECT_HEADER,
                List.of(f, "3", "payment_method_id", "not a whole number: 'x'", "x,\"bad\r\none\""),
                List.of(f, "8", "payment_method_name", "a value is required", "7,")), records(rejects));
    }

    @Test
    void acrossAFolderWithSkipExisting() throws IOException {
        Path dir = files.resolve("export");
        Fixtures.write(dir, "customers.csv", """
                customer_id,age,gender,first_transaction_date,last_transaction_date,survival_time,event_observed
                20,30,Male,,,,
                21,old,Male,,,,
                1,99,Changed,,,,
                """);
        Fixtures.write(dir, "transactions.csv", """
                transaction_id,customer_id,payment_method_id,transaction_date,amount
                1,20,0,2020-01-01,1
                2,21,0,2020-01-01,2
                3,0,7,2020-01-01,3
                4,1,1,2020-01-01,4
                """);
        Path rejects = files.resolve("rejects.csv");
        Cli.Run run = load("--dir", dir.toString(), "--mode", "skip-existing", "--on-error", "skip",
                "--reject-file", rejects.toString());
        // 7 rows: 3 loaded, 1 skipped, 3 rejected (customer 21, and so its transaction, and payment method 7)
        assertSummary(run, 4, "loaded 3 of 7 rows into dim_customer (1), fact_transaction (2); skipped 1 already "
                + "present; rejected 3 (see " + rejects + ")");
        List<String> expected = new ArrayList<>(SEEDED_CUSTOMERS);
        expected.add("20|30|Male|NULL|NULL|NULL|NULL");
        assertEquals(expected, customers());
        assertEquals(List.of("1|20|0|2020-01-01 00:00:00.000000|1.0", "4|1|1|2020-01-01 00:00:00.000000|4.0"),
                transactions());
        String c = dir.resolve("customers.csv").toString();
        String t = dir.resolve("transactions.csv").toString();
        assertEquals(List.of(REJECT_HEADER,
                List.of(c, "3", "age", "not a whole number: 'old'", "21,old,Male,,,,"),
                List.of(t, "3", "customer_id", "unknown customer 21", "2,21,0,2020-01-01,2"),
                List.of(t, "4", "payment_method_id", "unknown payment method 7", "3,0,7,2020-01-01,3")),
                records(rejects));
        assertOwnerOnly(rejects);
    }

    @Test
    void noBadRowsExitsZero() throws IOException {
        Path rejects = files.resolve("rejects.csv");
        Cli.Run run = load("--table", "payment-methods", csv("pm.csv", "payment_method_id,payment_method_name\n5,Crypto\n"),
                "--on-error", "skip", "--reject-file", rejects.toString());
        assertSummary(run, 0, "loaded 1 row into dim_payment_method");
        assertEquals(6, db.count("SELECT COUNT(*) FROM dim_payment_method"));
        assertOwnerOnly(rejects);
        assertEquals("file,line,column,problem,row\n", Files.readString(rejects)); // the header, and no row
        assertNoTemporaryFiles(files);
    }

    @Test
    void aFileThatCannotBeReadAsCsvLoadsNothingAndWritesNoRejectFile() throws IOException {
        String before = db.snapshot();
        Path rejects = files.resolve("rejects.csv");
        String f = csv("q.csv", "payment_method_id,payment_method_name\n5,ok\nx,bad\n6,\"open\n7,never closed\n");
        assertFailed(load("--table", "payment-methods", f, "--on-error", "skip", "--reject-file", rejects.toString()),
                1, before, "ispdb: " + f + ":4: a quoted field that starts on this line has no closing quote; "
                        + "nothing was loaded");
        assertFalse(Files.exists(rejects));
        assertNoTemporaryFiles(files);
        // a header that does not fit rejects the file as well
        f = csv("h.csv", "payment_method_id,name\n5,ok\n");
        assertFailed(load("--table", "payment-methods", f, "--on-error", "skip", "--reject-file", rejects.toString()),
                1, before, f + ":1: name: not a column of dim_payment_method (its columns: payment_method_id, "
                        + "payment_method_name)",
                f + ":1: payment_method_name: missing from the header",
                f + ": the header does not fit dim_payment_method; nothing was loaded");
        assertFalse(Files.exists(rejects));
        assertNoTemporaryFiles(files);
    }

    @Test
    void skipNeedsARejectFileAndARejectFileNeedsSkip() {
        String before = db.snapshot();
        String f = csv("pm.csv", "payment_method_id,payment_method_name\n5,Crypto\nx,bad\n");
        assertFailed(load("--table", "payment-methods", f, "--on-error", "skip"), 2, before,
                "ispdb: --on-error skip needs --reject-file FILE to keep the rows it skips");
        assertFailed(load("--table", "payment-methods", f, "--reject-file", files.resolve("r.csv").toString()), 2,
                before, "ispdb: --reject-file goes with --on-error skip");
        assertFalse(Files.exists(files.resolve("r.csv")));
    }

    /** Customers 10 (good) and 11 (bad age). */
    static final String ONE_GOOD_ONE_BAD = "customer_id,age,gender,first_transaction_date,last_transaction_date,"
            + "survival_time,event_observed\n10,30,Male,,,,\n11,abc,Male,,,,\n";

    @Test
    void theInputFileItselfIsAUsageErrorFoundBeforeAnythingLoads() throws IOException {
        String before = db.snapshot();
        Path input = Path.of(csv("c.csv", ONE_GOOD_ONE_BAD));
        Path link = files.resolve("link-to-input.csv");
        Files.createSymbolicLink(link, input);
        for (Path reject : List.of(input, link, files.resolve("./c.csv"))) {
            Cli.Run r = load("--table", "customers", input.toString(), "--on-error", "skip", "--reject-file",
                    reject.toString());
            assertFailed(r, 2, before, "ispdb: --reject-file " + reject + " is the input file " + input
                    + ": name another file for the rejected rows");
            assertEquals(ONE_GOOD_ONE_BAD, Files.readString(input));
            assertTrue(Files.isSymbolicLink(link));
        }
        // the same through a folder load
        Path dir = files.resolve("export");
        Path inDir = Fixtures.write(dir, "customers.csv", ONE_GOOD_ONE_BAD);
        Cli.Run r = load("--dir", dir.toString(), "--on-error", "skip", "--reject-file", inDir.toString());
        assertFailed(r, 2, before, "ispdb: --reject-file " + inDir + " is the input file " + inDir
                + ": name another file for the rejected rows");
        if (sqlite()) {
            Path database = Path.of(db.url().substring("jdbc:sqlite:".length()));
            Cli.Run onDb = load("--table", "customers", input.toString(), "--on-error", "skip", "--reject-file",
                    database.toString());
            assertFailed(onDb, 2, before, "ispdb: --reject-file " + database + " is the database file " + database
                    + ": name another file for the rejected rows");
        }
        assertNoTemporaryFiles(files);
    }

    @Test
    void aSymbolicLinkIsWrittenThroughAndStaysALink() throws IOException {
        Path target = files.resolve("real-rejects.csv");
        Files.writeString(target, "old\n");
        Path link = files.resolve("rejects.csv");
        Files.createSymbolicLink(link, target.getFileName()); // relative, as ln -s makes it
        Path dangling = files.resolve("dangling.csv");
        Files.createSymbolicLink(dangling, files.resolve("new-target.csv"));
        Cli.Run r = load("--table", "customers", csv("c.csv", ONE_GOOD_ONE_BAD), "--on-error", "skip",
                "--reject-file", link.toString());
        assertEquals(4, r.exitCode(), r::toString);
        assertTrue(Files.isSymbolicLink(link), "the link was replaced");
        assertEquals(3, records(target).size() + 1, () -> records(target).toString()); // header + 1 row
        assertMode("rw-r--r--", target); // replaced, with the mode it had
        Cli.Run d = load("--table", "customers", csv("c2.csv", ONE_GOOD_ONE_BAD.replace("10,", "20,")
                .replace("11,", "21,")), "--on-error", "skip", "--reject-file", dangling.toString());
        assertEquals(4, d.exitCode(), d::toString);
        assertTrue(Files.isSymbolicLink(dangling));
        assertEquals(2, records(files.resolve("new-target.csv")).size());
        assertOwnerOnly(files.resolve("new-target.csv")); // new
        assertNoTemporaryFiles(files);
    }

    @Test
    void aFifoIsWrittenDirectlyNotReplaced() throws Exception {
        Path fifo = files.resolve("rejects.fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mk.waitFor() == 0, "SKIPPED: mkfifo is not available");
        java.util.concurrent.CompletableFuture<byte[]> reader = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try (var in = Files.newInputStream(fifo)) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Cli.Run r = load("--table", "customers", csv("c.csv", ONE_GOOD_ONE_BAD), "--on-error", "skip",
                "--reject-file", fifo.toString());
        assertEquals(4, r.exitCode(), r::toString);
        String written = new String(reader.get(30, java.util.concurrent.TimeUnit.SECONDS), StandardCharsets.UTF_8);
        assertTrue(written.startsWith("file,line,column,problem,row\n"), written);
        assertTrue(written.contains(",3,age,not a whole number: 'abc',\"11,abc,Male,,,,\""), written);
        assertFalse(Files.isRegularFile(fifo), "the FIFO was replaced by a regular file");
        assertTrue(Files.exists(fifo));
        assertEquals(1, db.count("SELECT COUNT(*) FROM dim_customer WHERE customer_id = 10"));
    }

    @Test
    void aRejectFileThatCannotBeWrittenIsRefusedBeforeTheLoadAndLosesNothing() throws IOException {
        String before = db.snapshot();
        String input = csv("c.csv", ONE_GOOD_ONE_BAD);
        Path folder = Files.createDirectories(files.resolve("a-folder"));
        Cli.Run r = load("--table", "customers", input, "--on-error", "skip", "--reject-file", folder.toString());
        assertFailed(r, 2, before, "ispdb: --reject-file " + folder + " is a folder: name a file, for example "
                + folder.resolve("rejects.csv"));
        Path missing = files.resolve("no/such/folder/rejects.csv");
        r = load("--table", "customers", input, "--on-error", "skip", "--reject-file", missing.toString());
        assertFailed(r, 2, before, "ispdb: cannot write the reject file " + missing + ": its folder "
                + missing.getParent() + " does not exist");
        r = cli.run("record-prediction", "--url", db.url(), "--file", csv("p.csv", Fixtures.PREDICTIONS),
                "--on-error", "skip", "--reject-file", folder.toString());
        assertFailed(r, 2, before, "ispdb: --reject-file " + folder + " is a folder: name a file, for example "
                + folder.resolve("rejects.csv"));
    }

    @Test
    void recordPredictionFileTakesOnErrorSkipAndARejectFileAsLoadCsvDoes() throws IOException {
        Path rejects = files.resolve("bad-predictions.csv");
        String p = csv("p.csv", Fixtures.PREDICTIONS + "77,5.0,Star,,\n");
        Cli.Run r = cli.run("record-prediction", "--url", db.url(), "--file", p, "--on-error", "skip",
                "--reject-file", rejects.toString());
        assertEquals(4, r.exitCode(), r::toString);
        assertTrue(r.out().startsWith("recorded 3 predictions; rejected 1 (see " + rejects + ") in "), r::toString);
        assertEquals(List.of(REJECT_HEADER, List.of(p, "5", "customer_id", "unknown customer 77", "77,5.0,Star,,")),
                records(rejects));
        assertOwnerOnly(rejects);
        Cli.Run single = cli.run("record-prediction", "--url", db.url(), "--customer", "1", "--clv", "2",
                "--reject-file", rejects.toString());
        assertEquals(2, single.exitCode(), single::toString);
        assertEquals("ispdb: --on-error, --reject-file and --again go with --file\n", single.err());
    }

    /**
     * --reject-file /dev/stdout with standard output redirected to a file (as cron does): the rows go through
     * the process's own standard output, before the summary, and the file is neither replaced nor overwritten.
     */
    @Test
    void devStdoutRedirectedToAFileGetsTheRowsAndTheSummaryInOrder() throws IOException {
        String input = csv("c.csv", ONE_GOOD_ONE_BAD);
        SafetySupport.Child child = SafetySupport.start(files, List.of(), "load-csv", "--url", db.url(), "--table",
                "customers", input, "--on-error", "skip", "--reject-file", "/dev/stdout");
        Cli.Run r = child.await();
        assertEquals(4, r.exitCode(), r::toString);
        String[] lines = r.out().split("\n");
        assertEquals("file,line,column,problem,row", lines[0], r::toString);
        assertEquals(input + ",3,age,not a whole number: 'abc',\"11,abc,Male,,,,\"", lines[1], r::toString);
        assertTrue(lines[2].startsWith("loaded 1 of 2 rows into dim_customer; rejected 1 (see /dev/stdout) in "),
                r::toString);
        assertEquals(3, lines.length, r::toString);
        assertTrue(Files.isRegularFile(child.out) && !Files.isSymbolicLink(Path.of("/dev/stdout").getParent()));
        assertTrue(Files.exists(Path.of("/dev/stdout")), "/dev/stdout is gone");
        assertTrue(Files.isSymbolicLink(Path.of("/dev/stdout")) || !Files.isRegularFile(Path.of("/dev/stdout")),
                "/dev/stdout was replaced by a regular file");
    }
}
