package ispdb.report;

import static ispdb.testing.Cli.assertNoStackTrace;
import static ispdb.testing.RoundTripData.TABLES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.testing.Cli;
import ispdb.testing.DatabaseTest;
import ispdb.testing.RoundTripData;
import ispdb.testing.SafetySupport;
import ispdb.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * export, on each database: the form load-csv reads; export, load into an empty database, export again gives
 * the same bytes, on this database and against SQLite; --output replaces a file only when complete; JSON.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("ispdb.testing.TestDatabase#kinds")
class ExportTest extends DatabaseTest {
    private Path write(String name, String text) throws IOException {
        return Files.writeString(tmp.resolve(name), text, StandardCharsets.UTF_8);
    }

    /** Loads the fixtures into a database with the schema. */
    private void loadFixtures(TestDatabase d) throws IOException {
        RoundTripData.load(cli, d, tmp);
    }

    /** Exports every table of a database into a folder (as load-csv --dir names them); returns the folder. */
    private Path exportAll(TestDatabase d, String folder) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(folder));
        for (String table : TABLES) {
            Path file = dir.resolve(table + ".csv");
            Cli.Run r = cli.run("export", "--url", d.url(), "--table", table, "--output", file.toString());
            assertEquals(0, r.exitCode(), r::toString);
            assertTrue(r.out().startsWith("exported "), r::toString);
        }
        return dir;
    }

    private static void assertSameFiles(Path a, Path b) throws IOException {
        for (String table : TABLES) {
            assertEquals(Files.readString(a.resolve(table + ".csv")), Files.readString(b.resolve(table + ".csv")),
                    table);
            assertEquals(-1, Files.mismatch(a.resolve(table + ".csv"), b.resolve(table + ".csv")), table);
        }
    }

    @Test
    void exportLoadExportIsByteIdenticalHereAndAgainstSqlite() throws IOException {
        initSchema(db);
        loadFixtures(db);
        Path first = exportAll(db, "first");
        try (TestDatabase empty = TestDatabase.create(kind, tmp)) {
            initSchema(empty);
            Cli.Run load = cli.run("load-csv", "--url", empty.url(), "--dir", first.toString(), "-q");
            assertEquals(0, load.exitCode(), load::toString);
            assertSameFiles(first, exportAll(empty, "second"));
        }
        try (TestDatabase lite = TestDatabase.create(TestDatabase.Kind.SQLITE, tmp)) {
            initSchema(lite);
            loadFixtures(lite);
            assertSameFiles(first, exportAll(lite, "sqlite"));
        }
        String customers = Files.readString(first.resolve("customers.csv"));
        assertEquals("customer_id,age,gender,first_transaction_date,last_transaction_date,survival_time,"
                + "event_observed\n"
                + "-4,0, spaced ,0001-01-01 00:00:00.000000,9999-12-31 23:59:59.999999,1,true\n"
                + "1,58,Female,2023-11-27 11:34:33.951108,2023-11-28 02:55:41.625744,0,true\n"
                + "2,,,,,,\n"
                + "3,130,\"two\nlines\",2020-01-01 00:00:00.000000,2020-01-01 00:00:00.500000,2147483647,false\n",
                customers);
        String transactions = Files.readString(first.resolve("transactions.csv"));
        assertTrue(transactions.contains("\n2,2,1,2022-10-25 09:20:54.804307,133.5\n"), transactions);
        assertTrue(transactions.contains("\n7,1,0,2022-10-25 09:20:54.000000,0.30000000000000004\n"), transactions);
        assertTrue(transactions.endsWith("\n9223372036854775807,-4,0,2022-10-25 09:20:54.000000,-1.234E-6\n"),
                transactions);
        assertEquals("payment_method_id,payment_method_name\n0,Credit Card\n1,\"Bank, \"\"direct\"\" debit\"\n"
                + "2,Espèces 💶\n", Files.readString(first.resolve("payment-methods.csv")));
    }

    /** Under LC_ALL=C (as cron runs jobs), standard output is still UTF-8: nothing becomes '?'. */
    @Test
    void standardOutputIsUtf8WhateverTheLocale() throws IOException {
        initSchema(db);
        loadFixtures(db);
        Cli.Run r = SafetySupport.startWithEnvironment(tmp, java.util.Map.of("LC_ALL", "C", "LANG", "C"),
                "export", "--url", db.url(), "--table", "payment-methods").await();
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("payment_method_id,payment_method_name\n0,Credit Card\n1,\"Bank, \"\"direct\"\" debit\"\n"
                + "2,Espèces 💶\n", r.out());
    }

    @Test
    void standardOutputByDefaultAndJson() throws IOException {
        initSchema(db);
        loadFixtures(db);
        Cli.Run csv = cli.run("export", "--url", db.url(), "--table", "clv_prediction");
        assertEquals(0, csv.exitCode(), csv::toString);
        assertEquals("prediction_id,customer_id,clv,predicted_customer_type,is_campaign1_success,"
                + "is_campaign2_success,predicted_at\n"
                + "1,1,3534.45,Star,true,false,2024-01-02 03:04:05.678901\n"
                + "2,2,417.0,,,,2024-01-02 03:04:05.000000\n"
                + "7,3,-1.5E-10,\"Lo\"\"yal\",false,true,2024-01-02 03:04:05.000001\n", csv.out());
        assertEquals("", csv.err());
        Cli.Run json = cli.run("export", "--url", db.url(), "--table", "predictions", "--format", "json");
        assertEquals(0, json.exitCode(), json::toString);
        assertEquals("[\n"
                + "  {\"prediction_id\":1,\"customer_id\":1,\"clv\":3534.45,\"predicted_customer_type\":\"Star\","
                + "\"is_campaign1_success\":true,\"is_campaign2_success\":false,"
                + "\"predicted_at\":\"2024-01-02 03:04:05.678901\"},\n"
                + "  {\"prediction_id\":2,\"customer_id\":2,\"clv\":417.0,\"predicted_customer_type\":null,"
                + "\"is_campaign1_success\":null,\"is_campaign2_success\":null,"
                + "\"predicted_at\":\"2024-01-02 03:04:05.000000\"},\n"
                + "  {\"prediction_id\":7,\"customer_id\":3,\"clv\":-1.5E-10,\"predicted_customer_type\":\"Lo\\\"yal\","
                + "\"is_campaign1_success\":false,\"is_campaign2_success\":true,"
                + "\"predicted_at\":\"2024-01-02 03:04:05.000001\"}\n"
                + "]\n", json.out());
        // an empty table: the header alone, or an empty array
        try (TestDatabase empty = TestDatabase.create(kind, tmp)) {
            initSchema(empty);
            Cli.Run none = cli.run("export", "--url", empty.url(), "--table", "payment-methods");
            assertEquals("payment_method_id,payment_method_name\n", none.out(), none::toString);
            none = cli.run("export", "--url", empty.url(), "--table", "payment-methods", "--format", "json");
            assertEquals("[]\n", none.out(), none::toString);
        }
    }

    @Test
    void outputReplacesAFileOnlyWhenCompleteFollowsLinksAndRefusesTheDatabase() throws IOException {
        initSchema(db);
        loadFixtures(db);
        Path target = write("target.csv", "old\n");
        Path link = Files.createSymbolicLink(tmp.resolve("link.csv"), target.getFileName());
        Cli.Run r = cli.run("export", "--url", db.url(), "--table", "customers", "--output", link.toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(Files.isSymbolicLink(link));
        assertTrue(Files.readString(target).startsWith("customer_id,"));
        // replaced, it keeps its mode; a new file is its owner's only
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        Cli.Run fresh = cli.run("export", "--url", db.url(), "--table", "customers", "--output",
                tmp.resolve("new.csv").toString());
        assertEquals(0, fresh.exitCode(), fresh::toString);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("new.csv"))));

        // a failure (no such table) leaves the file as it was, and no temporary file behind
        Files.writeString(target, "old\n");
        Cli.Run bad = cli.run("export", "--url", db.url(), "--table", "nope", "--output", target.toString());
        assertEquals(2, bad.exitCode(), bad::toString);
        assertTrue(bad.err().startsWith("ispdb: --table nope is not a table: use one of dim_payment_method"),
                bad::toString);
        assertEquals("old\n", Files.readString(target));
        try (var left = Files.list(tmp)) {
            assertFalse(left.anyMatch(p -> p.getFileName().toString().startsWith(".ispdb-export-")));
        }

        Cli.Run folder = cli.run("export", "--url", db.url(), "--table", "customers", "--output", tmp.toString());
        assertEquals(2, folder.exitCode(), folder::toString);
        assertTrue(folder.err().contains("is a folder"), folder::toString);
        Cli.Run noFolder = cli.run("export", "--url", db.url(), "--table", "customers", "--output",
                tmp.resolve("no/such/x.csv").toString());
        assertEquals(2, noFolder.exitCode(), noFolder::toString);
        assertTrue(noFolder.err().contains("does not exist"), noFolder::toString);
        assertNoStackTrace(noFolder);
        if (kind == TestDatabase.Kind.SQLITE) {
            String file = db.url().substring("jdbc:sqlite:".length());
            long size = Files.size(Path.of(file));
            Cli.Run self = cli.run("export", "--url", db.url(), "--table", "customers", "--output", file);
            assertEquals(2, self.exitCode(), self::toString);
            assertTrue(self.err().contains("is the database file"), self::toString);
            assertEquals(size, Files.size(Path.of(file)));
        }
        Cli.Run table = cli.run("export", "--url", db.url(), "--table", "customers", "--format", "table");
        assertEquals(2, table.exitCode(), table::toString);
    }
}
