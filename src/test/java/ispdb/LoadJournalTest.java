package ispdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
@MethodSource("ispdb.TestDatabase#kinds")
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
                "3|record-prediction|clv_prediction|" + p + "|" + gz.size() + "|" + sha256(gz.toByteArray())
                        + "|4|3|0|1|" + version + "|" + user), journal);
        assertEquals(0, db.count("SELECT COUNT(*) FROM load_journal WHERE started_at > finished_at"));
        // a rejected load leaves no entry
        Cli.Run bad = load("--table", "customers", csv("bad.csv", Fixtures.CUSTOMERS.replace(",79,", ",-1,")));
        assertEquals(1, bad.exitCode(), bad::toString);
        assertEquals(3, db.count("SELECT COUNT(*) FROM load_journal"));
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
        String dialect = switch (kind) {
            case SQLITE -> "sqlite";
            case POSTGRESQL -> "postgresql";
            case MARIADB -> "mysql";
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
        assertTrue(old.err().contains("has schema version 1 and this ispdb needs 3: upgrade it with 'ispdb "
                + "init-schema'"), old::toString);
        Cli.Run up = cli.run("init-schema", "--url", db.url());
        assertEquals(0, up.exitCode(), up::toString);
        assertTrue(up.out().startsWith("upgraded ") && up.out().endsWith(" from schema version 1 to 3\n"), up::toString);
        assertEquals(before, db.snapshot());
        assertEquals(0, db.count("SELECT COUNT(*) FROM load_journal"));
        assertSummary(load("--table", "predictions", csv("p.csv", Fixtures.PREDICTIONS)),
                "loaded 3 rows into clv_prediction");
        assertEquals(1, db.count("SELECT COUNT(*) FROM load_journal"));
        assertEquals(4, db.count("SELECT COUNT(*) FROM clv_prediction"));
        Cli.Run status = cli.run("schema-status", "--url", db.url());
        assertTrue(status.out().contains("schema version:  3 (this ispdb: 3)"), status::toString);
        assertFalse(status.err().contains("Exception"), status::toString);
    }
}
