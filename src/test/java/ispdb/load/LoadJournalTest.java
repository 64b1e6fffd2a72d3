package ispdb.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.testing.Cli;
import ispdb.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The load journal (schema version 2), on each database: every committed load is recorded; a predictions file
 * loaded before is refused in every mode unless --again; 'ispdb history' lists the journal; a version 1
 * database with data upgrades to version 2 and keeps every row.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("ispdb.testing.TestDatabase#kinds")
class LoadJournalTest extends LoadCsvTestBase {
    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private void loadParents() {
        Cli.Run r = load("--table", "payment-methods", csv("pm.csv", Fixtures.PAYMENT_METHODS));
        assertEquals(0, r.exitCode(), r::toString);
        r = load("--table", "customers", csv("c.csv", Fixtures.CUSTOMERS));
        assertEquals(0, r.exitCode(), r::toString);
    }

    @Test
    void aPredictionsFileLoadedBeforeIsRefusedInEveryModeUnlessAgain() {
        initSchema();
        loadParents();
        String p = csv("p.csv", Fixtures.PREDICTIONS);
        assertSummary(load("--table", "predictions", p), "loaded 3 rows into clv_prediction");
        String before = db.snapshot();
        for (String mode : List.of("insert", "upsert", "skip-existing")) {
            Cli.Run again = load("--table", "predictions", p, "--mode", mode);
            assertEquals(1, again.exitCode(), again::toString);
            assertEquals("", again.out(), again::toString);
            assertTrue(again.err().matches("ispdb: \\Q" + p + "\\E: the same file \\(sha256 [0-9a-f]{12}\\.\\.\\.\\) was "
                    + "loaded into clv_prediction before, at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC \\(load 3 by "
                    + "load-csv, 3 rows from \\Q" + p + "\\E\\); loading it again would add every prediction a second "
                    + "time, so nothing was loaded \\(to load it again all the same, add --again; 'ispdb history' "
                    + "lists the loads\\)\\n"), again::toString);
            assertEquals(before, db.snapshot(), mode);
        }
        // record-prediction --file knows the same file, under another name, through standard input too
        Cli.Run viaRecord = cli.runWithInput(utf8(Fixtures.PREDICTIONS), "record-prediction", "--url", db.url(),
                "--file", "-");
        assertEquals(1, viaRecord.exitCode(), viaRecord::toString);
        assertTrue(viaRecord.err().startsWith("ispdb: <stdin>: the same file"), viaRecord::toString);
        assertEquals(before, db.snapshot());
        Cli.Run forced = cli.run("record-prediction", "--url", db.url(), "--file", p, "--again");
        assertEquals(0, forced.exitCode(), forced::toString);
        assertEquals(6, db.count("SELECT COUNT(*) FROM clv_prediction"));
        // the other tables' files are keyed: upsert and skip-existing are meant to be run again
        assertSummary(load("--table", "customers", csv("c.csv", Fixtures.CUSTOMERS), "--mode", "skip-existing"),
                "loaded 0 of 5 rows into dim_customer; skipped 5 already present");
    }

    @Test
    void everyCommittedLoadIsInTheJournalWithItsDigestAndCounts() throws Exception {
        initSchema();
        loadParents();
        byte[] text = utf8(Fixtures.PREDICTIONS + "99,1.0,Star,,\n");
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(text);
        }
        String p = csv("p.csv.gz", gz.toByteArray());
        Path rejects = files.resolve("rejects.csv");
        Cli.Run r = cli.run("record-prediction", "--url", db.url(), "--file", p, "--on-error", "skip", "--reject-file",
                rejects.toString());
        assertEquals(4, r.exitCode(), r::toString);
        assertTrue(r.out().startsWith("recorded 3 predictions; rejected 1 (see " + rejects + ") in "), r::toString);
        assertTrue(Files.readString(rejects).contains(",5,customer_id,unknown customer 99,"), r::toString);
        List<String> journal = rows("SELECT load_id, command, table_name, file_name, file_size, sha256, rows_read, "
                + "rows_loaded, rows_skipped, rows_rejected, ispdb_version, os_user FROM load_journal ORDER BY load_id");
        String user = System.getProperty("user.name");
        String version = cli.run("--version").out().strip().substring("ispdb ".length());
        assertEquals(List.of(
                "1|load-csv|dim_payment_method|" + files.resolve("pm.csv") + "|"
                        + Files.size(files.resolve("pm.csv")) + "|" + sha256(Files.readAllBytes(files.resolve("pm.csv")))
                        + "|5|5|0|0|" + version + "|" + user,
                "2|load-csv|dim_customer|" + files.resolve("c.csv") + "|" + Files.size(files.resolve("c.csv")) + "|"
                        + sha256(Files.readAllBytes(files.resolve("c.csv"))) + "|5|5|0|0|" + version + "|" + user,
                "3|record-prediction|clv_prediction|" + p + "|" + text.length + "|" + sha256(text)
                        + "|4|3|0|1|" + version + "|" + user), journal);
        assertEquals(0, db.count("SELECT COUNT(*) FROM load_journal WHERE started_at > finished_at"));
        // a rejected load leaves no entry
        Cli.Run bad = load("--table", "customers", csv("bad.csv", Fixtures.CUSTOMERS.replace(",79,", ",-1,")));
        assertEquals(1, bad.exitCode(), bad::toString);
        assertEquals(3, db.count("SELECT COUNT(*) FROM load_journal"));
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(bytes);
        }
        return gz.toByteArray();
    }

    /**
     * The digest is the content's: a predictions file loaded once is refused as its gzip and through standard
     * input, and a gzip loaded once is refused as the plain file (as {@code zcat -f FILE | sha256sum} prints the
     * same digest for both). A gzip that an older ispdb recorded under the digest of its compressed bytes is
     * refused too.
     */
    @Test
    void theSameContentPlainGzipOrThroughStandardInputLoadsOnce() throws Exception {
        initSchema();
        loadParents();
        byte[] text = utf8(Fixtures.PREDICTIONS);
        String plain = csv("p.csv", text);
        String gz = csv("p.csv.gz", gzip(text));
        assertSummary(load("--table", "predictions", plain), "loaded 3 rows into clv_prediction");
        assertEquals(List.of("3|" + text.length + "|" + sha256(text)),
                rows("SELECT load_id, file_size, sha256 FROM load_journal WHERE table_name = 'clv_prediction'"));
        String before = db.snapshot();
        String loadedBefore = "the same file \\(sha256 " + sha256(text).substring(0, 12) + "\\.\\.\\.\\) was loaded into "
                + "clv_prediction before, at .* \\(load 3 by load-csv, 3 rows from \\Q" + plain + "\\E\\); .*\\n";
        Cli.Run gzipped = load("--table", "predictions", gz);
        assertEquals(1, gzipped.exitCode(), gzipped::toString);
        assertTrue(gzipped.err().matches("ispdb: \\Q" + gz + "\\E: " + loadedBefore), gzipped::toString);
        Cli.Run piped = cli.runWithInput(gzip(text), "record-prediction", "--url", db.url(), "--file", "-");
        assertEquals(1, piped.exitCode(), piped::toString);
        assertTrue(piped.err().matches("ispdb: <stdin>: " + loadedBefore), piped::toString);
        assertEquals(before, db.snapshot());
        assertEquals(3, db.count("SELECT COUNT(*) FROM clv_prediction"));

        // the other way round: a gzip first, then its text
        byte[] other = utf8(Fixtures.PREDICTIONS.replace("Star", "Loyal"));
        String otherGz = csv("q.csv.gz", gzip(other));
        assertSummary(load("--table", "predictions", otherGz), "loaded 3 rows into clv_prediction");
        assertEquals(List.of(other.length + "|" + sha256(other)),
                rows("SELECT file_size, sha256 FROM load_journal WHERE file_name = '" + otherGz + "'"));
        Cli.Run otherPlain = load("--table", "predictions", csv("q.csv", other));
        assertEquals(1, otherPlain.exitCode(), otherPlain::toString);
        assertTrue(otherPlain.err().contains("was loaded into clv_prediction before"), otherPlain::toString);

        // a gzip recorded under its compressed bytes' digest (as ispdb did before), with no claim of its content
        byte[] old = utf8(Fixtures.PREDICTIONS.replace("Star", "Old"));
        byte[] oldGz = gzip(old);
        String oldFile = csv("old.csv.gz", oldGz);
        assertSummary(load("--table", "predictions", oldFile), "loaded 3 rows into clv_prediction");
        db.update("UPDATE load_journal SET sha256 = '" + sha256(oldGz) + "' WHERE sha256 = '" + sha256(old) + "'");
        db.update("DELETE FROM load_claim WHERE sha256 = '" + sha256(old) + "'");
        Cli.Run oldAgain = load("--table", "predictions", oldFile);
        assertEquals(1, oldAgain.exitCode(), oldAgain::toString);
        assertTrue(oldAgain.err().contains("was loaded into clv_prediction before"), oldAgain::toString);
        assertEquals(9, db.count("SELECT COUNT(*) FROM clv_prediction"));
        // --again loads it all the same, and claims nothing
        Cli.Run forced = load("--table", "predictions", gz, "--again");
        assertEquals(0, forced.exitCode(), forced::toString);
        assertEquals(12, db.count("SELECT COUNT(*) FROM clv_prediction"));
        assertEquals(2, db.count("SELECT COUNT(*) FROM load_claim"));
    }

    @Test
    void historyListsTheJournalNewestFirstAsTableCsvAndJson() throws IOException {
        initSchema();
        loadParents();
        Cli.Run table = cli.run("history", "--url", db.url());
        assertEquals(0, table.exitCode(), table::toString);
        String[] lines = table.out().split("\n");
        assertTrue(lines[0].startsWith("load_id  command   table_name          file_name"), table::toString);
        assertTrue(lines[2].startsWith("      2  load-csv  dim_customer        " + files.resolve("c.csv")),
                table::toString);
        assertTrue(lines[3].startsWith("      1  load-csv  dim_payment_method  " + files.resolve("pm.csv")),
                table::toString);
        assertEquals("(2 loads)", lines[4]);
        Cli.Run csv = cli.run("history", "--url", db.url(), "--format", "csv", "--limit", "1");
        assertEquals(0, csv.exitCode(), csv::toString);
        String[] csvLines = csv.out().split("\n");
        assertEquals("load_id,command,table_name,file_name,file_size,sha256,rows_read,rows_loaded,rows_skipped,"
                + "rows_rejected,started_at,finished_at,ispdb_version,os_user", csvLines[0]);
        assertEquals(2, csvLines.length, csv::toString);
        assertTrue(csvLines[1].matches("2,load-csv,dim_customer,.*,5,5,0,0,"
                + "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6},\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6},.*"),
                csv::toString);
        Cli.Run json = cli.run("history", "--url", db.url(), "--format", "json", "--limit", "0");
        assertEquals(0, json.exitCode(), json::toString);
        var parsed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
        assertEquals(2, parsed.size());
        assertEquals("dim_payment_method", parsed.get(1).get("table_name").asText());
        assertEquals(5, parsed.get(1).get("rows_loaded").asLong());
        Cli.Run negative = cli.run("history", "--url", db.url(), "--limit", "-1");
        assertEquals(2, negative.exitCode(), negative::toString);
    }

    /** A database made by the ispdb before the journal (schema version 1), with data, upgraded in place. */
    @Test
    void aVersionOneDatabaseWithDataUpgradesToVersionTwo() {
        notOnSpider(UPGRADES);
        String dialect = switch (kind) {
            case SQLITE -> "sqlite";
            case POSTGRESQL -> "postgresql";
            case MARIADB, SPIDER -> "mysql";
        };
        Flyway.configure().dataSource(db.url(), null, null).locations("classpath:db/migration/" + dialect)
                .target("1").load().migrate();
        seed();
        db.update("INSERT INTO fact_transaction (transaction_id, customer_id, payment_method_id, transaction_date, "
                + "amount) VALUES (1, 0, 2, '2022-09-06 17:31:34.590844', 201.98)");
        db.update("INSERT INTO clv_prediction (customer_id, clv, predicted_customer_type, is_campaign1_success, "
                + "is_campaign2_success, predicted_at) VALUES (0, 1765.5, 'Star', TRUE, FALSE, "
                + "'2024-01-02 03:04:05.123456')");
        String before = db.snapshot();
        Cli.Run old = load("--table", "predictions", csv("p.csv", Fixtures.PREDICTIONS));
        assertEquals(3, old.exitCode(), old::toString);
        assertTrue(old.err().contains("has schema version 1 and this ispdb needs 6: upgrade it with 'ispdb "
                + "init-schema'"), old::toString);
        Cli.Run up = cli.run(ispdb.testing.TestDatabase.initSchemaArguments(db.url()));
        assertEquals(0, up.exitCode(), up::toString);
        assertTrue(up.out().startsWith("upgraded ") && up.out().endsWith(" from schema version 1 to 6\n"), up::toString);
        assertEquals(before, db.snapshot());
        assertEquals(0, db.count("SELECT COUNT(*) FROM load_journal"));
        assertSummary(load("--table", "predictions", csv("p.csv", Fixtures.PREDICTIONS)),
                "loaded 3 rows into clv_prediction");
        assertEquals(1, db.count("SELECT COUNT(*) FROM load_journal"));
        assertEquals(4, db.count("SELECT COUNT(*) FROM clv_prediction"));
        Cli.Run status = cli.run("schema-status", "--url", db.url());
        assertTrue(status.out().contains("schema version:  6 (this ispdb: 6)"), status::toString);
        assertFalse(status.err().contains("Exception"), status::toString);
    }
}
