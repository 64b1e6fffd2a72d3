package ispdb.load;

import static ispdb.testing.Cli.assertNoStackTrace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.testing.Cli;
import ispdb.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ispdb ingest DIR, the drop folder, on each database: files load oldest first, each on its own, and move to
 * done/DATE/ or failed/ with NAME.reason; files still being written are left alone; the journal's refusal and
 * the folder's lock keep every file loaded once; exit codes 0, 4 and 1.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("ispdb.testing.TestDatabase#kinds")
class IngestTest extends LoadCsvTestBase {
    private Path drop;
    private Path incoming;
    /** The modification time of the next file dropped: each a minute after the one before, all in the past. */
    private Instant next = Instant.now().minusSeconds(3600);

    @BeforeEach
    void makeTheDropFolder() throws IOException {
        initSchema();
        drop = files.resolve("drop");
        incoming = Files.createDirectories(drop.resolve("incoming"));
    }

    private Path dropFile(String name, byte[] content) throws IOException {
        Path p = Files.write(incoming.resolve(name), content);
        Files.setLastModifiedTime(p, FileTime.from(next));
        next = next.plusSeconds(60);
        return p;
    }

    private Path dropFile(String name, String content) throws IOException {
        return dropFile(name, utf8(content));
    }

    private Cli.Run ingest(String... args) {
        List<String> all = new ArrayList<>(List.of("ingest", "--url", db.url(), drop.toString()));
        all.addAll(List.of(args));
        Cli.Run r = cli.run(all.toArray(String[]::new));
        assertNoStackTrace(r);
        return r;
    }

    private Path done() {
        return drop.resolve("done").resolve(LocalDate.now(ZoneOffset.UTC).toString());
    }

    private static List<String> names(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(utf8(text));
        }
        return bytes.toByteArray();
    }

    @Test
    void loadsEveryFileOldestFirstAndMovesItToDone() throws IOException {
        assertEquals(0, ingest("--settle", "0").exitCode(), "nothing to do");
        dropFile("payment-methods.csv", Fixtures.PAYMENT_METHODS);
        dropFile("customers-2026-12-06.csv", Fixtures.CUSTOMERS);
        dropFile("fact_transaction.csv.gz", gzip(Fixtures.TRANSACTIONS));
        dropFile("export-0001.csv.gz", gzip(Fixtures.PREDICTIONS)); // its table from its header
        Cli.Run r = ingest("--settle", "0");
        assertEquals(0, r.exitCode(), r::toString);
        String[] lines = r.out().split("\n");
        assertEquals(4, lines.length, r::toString);
        assertTrue(lines[3].startsWith("export-0001.csv.gz: loaded 3 rows into clv_prediction in "), r::toString);
        assertTrue(lines[0].startsWith("payment-methods.csv: loaded 5 rows into dim_payment_method in "), r::toString);
        assertTrue(lines[1].startsWith("customers-2026-12-06.csv: loaded 5 rows into dim_customer in "), r::toString);
        assertTrue(lines[2].startsWith("fact_transaction.csv.gz: loaded 5 rows into fact_transaction in "),
                r::toString);
        assertTrue(lines[2].endsWith("; moved to " + done().resolve("fact_transaction.csv.gz")), r::toString);
        assertEquals(List.of(), names(incoming));
        assertEquals(List.of("customers-2026-12-06.csv", "export-0001.csv.gz", "fact_transaction.csv.gz",
                "payment-methods.csv"), names(done()));
        assertEquals(5, db.count("SELECT COUNT(*) FROM fact_transaction"));
        assertEquals(db.count("SELECT COUNT(DISTINCT customer_id) FROM fact_transaction"),
                db.count("SELECT COUNT(*) FROM customer_purchase_summary"));
        Cli.Run check = cli.run("check", "--url", db.url(), "--format", "csv");
        assertFalse(check.out().contains("stale-summary"), check::toString);
        assertFalse(Files.exists(drop.resolve("failed")));
        // a name taken in done/ gets a suffix: nothing is overwritten
        dropFile("payment-methods.csv", Fixtures.PAYMENT_METHODS);
        Cli.Run upsert = ingest("--settle", "0", "--mode", "upsert", "--quiet");
        assertEquals(0, upsert.exitCode(), upsert::toString);
        assertEquals("", upsert.out() + upsert.err());
        assertTrue(names(done()).contains("payment-methods.1.csv"), () -> names(done()).toString());
    }

    @Test
    void aRejectedFileGoesToFailedWithItsReasonAndTheOthersLoadExitCode4() throws IOException {
        dropFile("transactions.csv", Fixtures.TRANSACTIONS); // oldest: its customers are not there yet
        dropFile("payment-methods.csv", Fixtures.PAYMENT_METHODS);
        dropFile("notes.csv", "a,b\n1,2\n");
        dropFile("customers.csv", Fixtures.CUSTOMERS);
        Cli.Run r = ingest("--settle", "0");
        assertEquals(4, r.exitCode(), r::toString);
        Path failed = drop.resolve("failed");
        assertEquals(List.of("notes.csv", "notes.csv.reason", "transactions.csv", "transactions.csv.reason"),
                names(failed));
        String reason = Files.readString(failed.resolve("transactions.csv.reason"));
        // the error as ispdb prints it: here one line per bad row, each naming the file by its name
        assertTrue(reason.startsWith("transactions.csv:2: customer_id: unknown customer 0\n"), reason);
        assertTrue(reason.endsWith("\n") && !reason.endsWith("\n\n"), reason);
        assertTrue(r.err().contains("ispdb: transactions.csv: moved to " + failed.resolve("transactions.csv") + ": "
                + reason), r::toString);
        assertTrue(Files.readString(failed.resolve("notes.csv.reason")).startsWith("notes.csv is not named after a "
                + "table, and its header names the columns of no table"));
        assertEquals(List.of("customers.csv", "payment-methods.csv"), names(done()));
        assertEquals(0, db.count("SELECT COUNT(*) FROM fact_transaction"));
        // dropped again, now that its customers are there, it loads; the same name in failed/ gets a suffix
        dropFile("transactions.csv", Fixtures.TRANSACTIONS);
        dropFile("bad.csv", "x\n");
        Cli.Run again = ingest("--settle", "0");
        assertEquals(4, again.exitCode(), again::toString);
        assertEquals(5, db.count("SELECT COUNT(*) FROM fact_transaction"));
        // only failures: exit code 1
        dropFile("customers.csv", Fixtures.CUSTOMERS); // every key is stored already
        Cli.Run none = ingest("--settle", "0");
        assertEquals(1, none.exitCode(), none::toString);
        assertTrue(names(failed).contains("customers.csv.reason"), () -> names(failed).toString());
    }

    @Test
    void filesStillBeingWrittenAreLeftAlone() throws IOException {
        dropFile("customers.csv.part", Fixtures.CUSTOMERS);
        dropFile("customers.csv.tmp", Fixtures.CUSTOMERS);
        dropFile(".customers.csv", Fixtures.CUSTOMERS);
        dropFile("payment-methods.csv", Fixtures.PAYMENT_METHODS);
        Files.setLastModifiedTime(incoming.resolve("payment-methods.csv"), FileTime.from(Instant.now()));
        Cli.Run r = ingest(); // the default --settle 10: the fresh file waits
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("", r.out(), r::toString);
        assertEquals(List.of(".customers.csv", "customers.csv.part", "customers.csv.tmp", "payment-methods.csv"),
                names(incoming));
        Files.setLastModifiedTime(incoming.resolve("payment-methods.csv"),
                FileTime.from(Instant.now().minusSeconds(11)));
        Cli.Run later = ingest();
        assertEquals(0, later.exitCode(), later::toString);
        assertEquals(List.of(".customers.csv", "customers.csv.part", "customers.csv.tmp"), names(incoming));
        assertEquals(List.of("payment-methods.csv"), names(done()));
        assertEquals(2, ingest("--settle", "-1").exitCode());
    }

    @Test
    void aPredictionsFileTheJournalRefusesGoesToFailed() throws IOException {
        dropFile("payment-methods.csv", Fixtures.PAYMENT_METHODS);
        dropFile("customers.csv", Fixtures.CUSTOMERS);
        dropFile("predictions-monday.csv", Fixtures.PREDICTIONS);
        assertEquals(0, ingest("--settle", "0").exitCode());
        dropFile("predictions-tuesday.csv.gz", gzip(Fixtures.PREDICTIONS));
        Cli.Run r = ingest("--settle", "0");
        assertEquals(1, r.exitCode(), r::toString);
        String reason = Files.readString(drop.resolve("failed").resolve("predictions-tuesday.csv.gz.reason"));
        assertTrue(reason.contains("the same file (sha256 "), reason);
        assertTrue(reason.contains("was loaded into clv_prediction before"), reason);
        assertEquals(3, db.count("SELECT COUNT(*) FROM clv_prediction"));
    }

    @Test
    void withOnErrorSkipTheGoodRowsLoadAndTheRejectFileIsInFailed() throws IOException {
        dropFile("payment-methods.csv", Fixtures.PAYMENT_METHODS);
        dropFile("customers.csv", Fixtures.CUSTOMERS + "5,999,Male,,,,\n");
        Cli.Run r = ingest("--settle", "0", "--on-error", "skip");
        assertEquals(4, r.exitCode(), r::toString);
        assertEquals(List.of("customers.csv", "payment-methods.csv"), names(done()));
        Path failed = drop.resolve("failed");
        assertEquals(List.of("customers.csv.reason", "customers.csv.rejects.csv"), names(failed));
        assertTrue(Files.readString(failed.resolve("customers.csv.rejects.csv")).contains(",age,"));
        assertTrue(Files.readString(failed.resolve("customers.csv.reason")).startsWith("customers.csv: 1 of 6 rows "
                + "were rejected (in customers.csv.rejects.csv); the other rows were loaded"));
        assertTrue(r.err().contains("customers.csv: loaded 5 of 6 rows into dim_customer; rejected 1"), r::toString);
        assertEquals(5, db.count("SELECT COUNT(*) FROM dim_customer"));
    }

    @Test
    void aRunFindingTheFolderLockedDoesNothingAndExits0() throws IOException {
        dropFile("payment-methods.csv", Fixtures.PAYMENT_METHODS);
        Files.createDirectories(drop);
        try (FileChannel channel = FileChannel.open(drop.resolve(".ispdb-ingest.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
            Cli.Run r = ingest("--settle", "0");
            assertEquals(0, r.exitCode(), r::toString);
            assertTrue(r.err().startsWith("ispdb: another ingest holds " + drop), r::toString);
            assertEquals(List.of("payment-methods.csv"), names(incoming));
        }
        assertEquals(0, ingest("--settle", "0").exitCode());
        assertEquals(List.of("payment-methods.csv"), names(done()));
    }

    @Test
    void twoIngestsAtOnceNeverLoadAFileTwice() throws Exception {
        dropFile("payment-methods.csv", Fixtures.PAYMENT_METHODS);
        dropFile("customers.csv", Fixtures.CUSTOMERS);
        for (int i = 1; i <= 6; i++) {
            dropFile("predictions-" + i + ".csv", Fixtures.PREDICTIONS.replace("Star", "Star" + i));
        }
        List<CompletableFuture<Cli.Run>> runs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            runs.add(CompletableFuture.supplyAsync(() -> new Cli().run("ingest", "--url", db.url(), drop.toString(),
                    "--settle", "0")));
        }
        for (CompletableFuture<Cli.Run> run : runs) {
            Cli.Run r = run.get();
            assertEquals(0, r.exitCode(), r::toString);
        }
        assertEquals(18, db.count("SELECT COUNT(*) FROM clv_prediction"));
        assertEquals(8, names(done()).size(), () -> names(done()).toString());
        assertEquals(List.of(), names(incoming));
    }
}
