package ispdb.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ispdb.testing.Cli;
import ispdb.testing.DatabaseTest;
import ispdb.testing.LegacyDatabase;
import ispdb.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * check on each database: clean on ispdb's own database (exit 0); findings on an empty one, on a database shaped
 * like the Python tool's (its 20 orphans among them) and on one built to break each rule (exit 1); exit 3 when it
 * cannot connect. It never changes the checked database.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("ispdb.testing.TestDatabase#kinds")
class CheckTest extends DatabaseTest {
    /** A finding as the csv format gives it. */
    record Finding(String table, String key, String rule, String detail) {
    }

    List<Finding> findings(Cli.Run run) {
        List<Finding> out = new ArrayList<>();
        try {
            for (JsonNode n : new ObjectMapper().readTree(run.out())) {
                out.add(new Finding(n.get("table").asText(), n.get("key").asText(), n.get("rule").asText(),
                        n.get("detail").asText()));
            }
        } catch (java.io.IOException e) {
            throw new AssertionError(run.toString(), e);
        }
        return out;
    }

    Cli.Run check(String... more) {
        List<String> args = new ArrayList<>(List.of("check", "--url", db.url()));
        args.addAll(List.of(more));
        Cli.Run run = cli.run(args.toArray(String[]::new));
        Cli.assertNoStackTrace(run);
        return run;
    }

    static boolean has(List<Finding> findings, String table, String key, String rule) {
        return findings.stream().anyMatch(f -> f.table().equals(table) && f.key().equals(key) && f.rule().equals(rule));
    }

    @Test
    void ispdbsOwnDatabaseWithRowsIsClean() {
        initSchema();
        db.update("INSERT INTO dim_payment_method VALUES (1, 'Cash')");
        db.update("INSERT INTO dim_customer (customer_id, age) VALUES (7, 40)");
        db.update("INSERT INTO fact_transaction VALUES (1, 7, 1, '2023-01-02 03:04:05.123456', 10.5)");
        db.update("INSERT INTO fact_transaction VALUES (2, 7, 1, '2023-03-02 01:04:05.000001', 20.25)");
        // transactions written behind ispdb's back: --full makes their customers' purchase summaries too
        Cli.Run refresh = cli.run("refresh-customer-stats", "--url", db.url(), "--full");
        assertEquals(0, refresh.exitCode(), refresh::toString);
        Cli.Run record = cli.run("record-prediction", "--url", db.url(), "--customer", "7", "--clv", "99.5");
        assertEquals(0, record.exitCode(), record::toString);
        Cli.Run run = check();
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("table  key  rule  detail\n-----  ---  ----  ------\n(0 findings)\n", run.out());
        assertEquals("", run.err());
        assertEquals("table,key,rule,detail\n", check("--format", "csv").out());
        assertEquals("[]\n", check("--format", "json").out());
    }

    @Test
    void anEmptyDatabaseHasNoSchema() {
        if (kind != TestDatabase.Kind.SQLITE) {
            // a server's database exists empty; an SQLite file that is not there is "cannot connect" (below)
            Cli.Run run = check("--format", "json");
            assertEquals(1, run.exitCode(), run::toString);
            List<Finding> f = findings(run);
            assertTrue(has(f, "flyway_schema_history", "-", "schema-drift"), run::toString);
            assertTrue(f.get(0).detail().contains("create it with 'ispdb init-schema'"), run::toString);
            for (String t : List.of("dim_payment_method", "dim_customer", "fact_transaction", "clv_prediction",
                    "load_journal", "load_claim", "customer_purchase_summary", "monthly_revenue")) {
                assertTrue(has(f, t, t, "schema-drift"), run::toString);
            }
            assertEquals(9, f.size(), run::toString);
        }
    }

    @Test
    void theToolsDatabaseHasItsOrphansAndNoHistory() {
        LegacyDatabase.create(db);
        String rows = db.snapshot();
        String catalog = db.catalog();
        Cli.Run run = check("--format", "json");
        assertEquals(1, run.exitCode(), run::toString);
        List<Finding> f = findings(run);
        List<Finding> orphans = f.stream().filter(x -> x.rule().equals("orphan-reference")).toList();
        assertEquals(LegacyDatabase.ORPHANS, orphans.size(), run::toString);
        for (long id : LegacyDatabase.orphanIds()) {
            assertTrue(orphans.contains(new Finding("fact_transaction", Long.toString(id), "orphan-reference",
                    "payment_method_id 5 is not in dim_payment_method")), run::toString);
        }
        assertTrue(f.get(0).detail().startsWith("no ispdb schema history"), run::toString);
        assertTrue(has(f, "clv_prediction", "predicted_at", "schema-drift"), run::toString);
        assertTrue(has(f, "fact_transaction", "ix_fact_transaction_customer_id", "schema-drift"), run::toString);
        assertTrue(has(f, "fact_transaction", "ix_fact_transaction_transaction_id", "schema-drift"), run::toString);
        assertTrue(has(f, "load_journal", "load_journal", "schema-drift"), run::toString);
        assertTrue(f.stream().noneMatch(x -> x.rule().equals("missing-required") || x.rule().equals("duplicate-key")
                || x.rule().equals("stored-form")), run::toString);
        // read only
        assertEquals(rows, db.snapshot());
        assertEquals(catalog, db.catalog());
        if (kind.mariadb()) {
            assertEquals(0, db.scratchDatabasesOfThisJvm(), "the scratch database is dropped");
        }
    }

    /**
     * A database without any constraint, as a foreign program might leave it, with a row that breaks each rule:
     * transaction 4 names customer 99 (orphan-reference); payment method 2 has no name, transaction 5 no amount,
     * prediction 2 no clv (missing-required); customer 3 twice (duplicate-key); customer 2's first transaction date
     * is not its transaction's (stale-derived); on SQLite, transaction 6's date has a T and customer 4's
     * event_observed is the text 'True' (stored-form); and no schema history, no indexes (schema-drift).
     */
    @Test
    void aDatabaseBuiltToBreakEachRuleNamesEachRule() {
        String ts = switch (kind) {
            case SQLITE, POSTGRESQL -> "TIMESTAMP";
            case MARIADB, SPIDER -> "DATETIME(6)";
        };
        db.update("CREATE TABLE dim_payment_method (payment_method_id BIGINT, payment_method_name VARCHAR(255))");
        db.update("CREATE TABLE dim_customer (customer_id BIGINT, age INT, gender VARCHAR(100), first_transaction_date "
                + ts + ", last_transaction_date " + ts + ", survival_time INT, event_observed BOOLEAN)");
        db.update("CREATE TABLE fact_transaction (transaction_id BIGINT, customer_id BIGINT, payment_method_id BIGINT, "
                + "transaction_date " + ts + ", amount DOUBLE PRECISION)");
        db.update("CREATE TABLE clv_prediction (prediction_id BIGINT, customer_id BIGINT, clv DOUBLE PRECISION, "
                + "predicted_customer_type VARCHAR(255), is_campaign1_success BOOLEAN, is_campaign2_success BOOLEAN, "
                + "predicted_at " + ts + ")");
        db.update("INSERT INTO dim_payment_method VALUES (1, 'Cash'), (2, NULL)");
        db.update("INSERT INTO dim_customer VALUES "
                + "(1, 30, 'Female', '2023-01-01 10:00:00.000000', '2023-02-01 10:00:00.000000', 31, TRUE), "
                + "(2, 40, 'Male', '2023-01-01 10:00:00.000000', '2023-03-01 10:00:00.000000', 0, FALSE), "
                + "(3, 50, 'Male', NULL, NULL, NULL, NULL), (3, 51, 'Female', NULL, NULL, NULL, NULL)");
        db.update("INSERT INTO fact_transaction VALUES (1, 1, 1, '2023-01-01 10:00:00.000000', 10.0), "
                + "(2, 1, 1, '2023-02-01 10:00:00.000000', 20.0), (3, 2, 1, '2023-03-01 10:00:00.000000', 5.0), "
                + "(4, 99, 1, '2023-01-05 10:00:00.000000', 1.0), (5, 1, 1, '2023-01-15 10:00:00.000000', NULL)");
        db.update("INSERT INTO clv_prediction VALUES (1, 1, 100.0, 'Star', NULL, NULL, '2023-03-01 00:00:00.000000'), "
                + "(2, 1, NULL, 'Star', NULL, NULL, '2023-03-01 00:00:00.000000')");
        if (kind == TestDatabase.Kind.SQLITE) {
            db.update("INSERT INTO fact_transaction VALUES (6, 1, 1, '2023-01-20T10:00:00', 3.0)");
            db.update("INSERT INTO dim_customer VALUES (4, 20, 'Male', NULL, NULL, NULL, 'True')");
        }
        Cli.Run run = check("--format", "json");
        assertEquals(1, run.exitCode(), run::toString);
        List<Finding> f = findings(run);
        assertTrue(has(f, "fact_transaction", "4", "orphan-reference"), run::toString);
        assertTrue(has(f, "dim_payment_method", "2", "missing-required"), run::toString);
        assertTrue(has(f, "fact_transaction", "5", "missing-required"), run::toString);
        assertTrue(has(f, "clv_prediction", "2", "missing-required"), run::toString);
        assertTrue(has(f, "dim_customer", "3", "duplicate-key"), run::toString);
        assertTrue(f.contains(new Finding("dim_customer", "3", "duplicate-key", "2 rows have customer_id 3")),
                run::toString);
        List<Finding> stale = f.stream().filter(x -> x.rule().equals("stale-derived")).toList();
        assertEquals(1, stale.size(), run::toString);
        assertEquals("dim_customer", stale.get(0).table());
        assertEquals("2", stale.get(0).key());
        assertTrue(stale.get(0).detail().startsWith("first_transaction_date is 2023-01-01 10:00:00"), run::toString);
        assertTrue(has(f, "flyway_schema_history", "-", "schema-drift"), run::toString);
        assertTrue(has(f, "fact_transaction", "ix_fact_transaction_transaction_date", "schema-drift"), run::toString);
        if (kind == TestDatabase.Kind.SQLITE) {
            assertTrue(f.contains(new Finding("fact_transaction", "6", "stored-form", "transaction_date is stored as "
                    + "'2023-01-20T10:00:00', not as text YYYY-MM-DD HH:MM:SS.ffffff")), run::toString);
            assertTrue(f.contains(new Finding("dim_customer", "4", "stored-form",
                    "event_observed is stored as 'True', not as the integer 0 or 1")), run::toString);
        } else {
            assertTrue(f.stream().noneMatch(x -> x.rule().equals("stored-form")), run::toString);
        }
    }

    /** On ispdb's own schema, a row let in past the foreign key is the one finding. */
    @Test
    void anOrphanBehindTheForeignKeysBackIsTheOneFinding() {
        initSchema();
        db.update("INSERT INTO dim_payment_method VALUES (1, 'Cash')");
        switch (kind) {
            case SQLITE -> db.update("INSERT INTO fact_transaction VALUES (1, 42, 1, '2023-01-02 03:04:05.000000', 1.5)");
            case POSTGRESQL -> {
                db.update("ALTER TABLE fact_transaction DISABLE TRIGGER ALL");
                db.update("INSERT INTO fact_transaction VALUES (1, 42, 1, '2023-01-02 03:04:05', 1.5)");
                db.update("ALTER TABLE fact_transaction ENABLE TRIGGER ALL");
            }
            case MARIADB, SPIDER -> {
                // on a Spider head the foreign keys are the backends': past the one that holds customer 42's rows
                try (java.sql.Connection c = kind == TestDatabase.Kind.SPIDER
                        ? java.sql.DriverManager.getConnection(db.backendUrlOfCustomer(42)) : db.connect();
                        java.sql.Statement s = c.createStatement()) {
                    s.execute("SET foreign_key_checks = 0");
                    s.execute("INSERT INTO fact_transaction VALUES (1, 42, 1, '2023-01-02 03:04:05', 1.5)");
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        Cli.Run run = check();
        assertEquals(1, run.exitCode(), run::toString);
        assertEquals("""
                table             key  rule              detail
                ----------------  ---  ----------------  -------------------------------------
                fact_transaction  1    orphan-reference  customer_id 42 is not in dim_customer
                (1 finding)
                """, run.out());
    }

    @Test
    void aSchemaChangedBehindIspdbsBackIsDrift() {
        initSchema();
        db.update("DROP INDEX ix_fact_transaction_transaction_date" + (kind.mariadb()
                ? " ON fact_transaction" : ""));
        db.update("CREATE INDEX ix_extra ON dim_customer (age)");
        Cli.Run run = check("--format", "csv");
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.out().contains("fact_transaction,ix_fact_transaction_transaction_date,schema-drift,"
                + "missing index ix_fact_transaction_transaction_date: "), run::toString);
        assertTrue(run.out().contains("dim_customer,ix_extra,schema-drift,\"extra index ix_extra: "), run::toString);
        assertEquals(3, run.out().split("\n").length, run::toString);
    }

    @Test
    void cannotConnectIsExitCode3() {
        String url = switch (kind) {
            case SQLITE -> "jdbc:sqlite:" + tmp.resolve("no-such.sqlite");
            case POSTGRESQL -> "jdbc:postgresql://127.0.0.1:1/isp";
            case MARIADB, SPIDER -> "jdbc:mariadb://127.0.0.1:1/isp";
        };
        Cli.Run run = cli.run("check", "--url", url);
        assertEquals(3, run.exitCode(), run::toString);
        assertEquals("", run.out());
        Cli.assertNoStackTrace(run);
    }
}
