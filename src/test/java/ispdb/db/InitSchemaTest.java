package ispdb.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.db.Database;
import ispdb.testing.Cli;
import ispdb.testing.DatabaseTest;
import ispdb.testing.Fixtures;
import ispdb.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** init-schema and schema-status: the tables, keys and indexes, the recorded version, and what is refused. */
@ParameterizedClass(name = "{0}")
@MethodSource("ispdb.testing.TestDatabase#kinds")
class InitSchemaTest extends DatabaseTest {
    static final List<String> TABLES = List.of("dim_payment_method", "dim_customer", "fact_transaction",
            "clv_prediction");

    private Path sqliteFile() {
        return Path.of(db.url().substring("jdbc:sqlite:".length()));
    }

    private void init() {
        Cli.Run r = cli.run(ispdb.testing.TestDatabase.initSchemaArguments(db.url()));
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("created the ispdb schema (version 6) in " + describe() + "\n" + shardedLine(), r.out());
        assertEquals("", r.err());
    }

    /** The tables of the database (or of its current schema), lower case, sorted. */
    private Set<String> tables() {
        String sql = switch (kind) {
            case SQLITE -> "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
            case POSTGRESQL -> "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()";
            case MARIADB, SPIDER -> "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()";
        };
        Set<String> names = new TreeSet<>();
        for (List<Object> row : db.query(sql)) {
            names.add(((String) row.get(0)).toLowerCase());
        }
        return names;
    }

    private List<List<Object>> history() {
        return db.query("SELECT installed_rank, version, script FROM flyway_schema_history ORDER BY installed_rank")
                .stream().map(r -> List.<Object>of(((Number) r.get(0)).intValue(), r.get(1), r.get(2))).toList();
    }

    /** Indexes as "table(first column)", whatever their names, primary keys left out. */
    private Set<String> indexes() {
        Set<String> found = new TreeSet<>();
        switch (kind) {
            case SQLITE -> {
                for (List<Object> r : db.query("SELECT m.tbl_name, i.name FROM sqlite_master m, "
                        + "pragma_index_info(m.name) i WHERE m.type = 'index' AND i.seqno = 0")) {
                    found.add(r.get(0) + "(" + r.get(1) + ")");
                }
            }
            case POSTGRESQL -> {
                Pattern first = Pattern.compile("\\((\\w+)");
                for (List<Object> r : db.query("SELECT tablename, indexdef FROM pg_indexes "
                        + "WHERE schemaname = current_schema() AND indexname NOT LIKE '%_pkey'")) {
                    Matcher m = first.matcher((String) r.get(1));
                    assertTrue(m.find(), r::toString);
                    found.add(r.get(0) + "(" + m.group(1) + ")");
                }
            }
            case MARIADB, SPIDER -> {
                for (List<Object> r : db.query("SELECT table_name, column_name FROM information_schema.statistics "
                        + "WHERE table_schema = DATABASE() AND seq_in_index = 1 AND index_name <> 'PRIMARY'")) {
                    found.add(r.get(0) + "(" + r.get(1) + ")");
                }
            }
        }
        return found;
    }

    @Test
    void createsTheFourTablesAndTheJournalAndRecordsBothVersions() {
        init();
        assertEquals(new TreeSet<>(List.of("dim_payment_method", "dim_customer", "fact_transaction", "clv_prediction",
                "load_journal", "load_claim", "customer_purchase_summary", "monthly_revenue", "flyway_schema_history")), tables());
        for (String t : TABLES) {
            assertEquals(0, db.count("SELECT COUNT(*) FROM " + t), t);
        }
        assertEquals(List.of(List.of(1, "1", "V1__create_schema.sql"), List.of(2, "2", "V2__load_journal.sql"),
                List.of(3, "3", "V3__clv_index.sql"), List.of(4, "4", "V4__load_claim.sql"),
                List.of(5, "5", "V5__customer_purchase_summary.sql"),
                List.of(6, "6", "V6__monthly_revenue.sql")), history());
        assertEquals(6, db.count("SELECT COUNT(*) FROM flyway_schema_history WHERE success"));
    }

    @Test
    void secondRunChangesNothing() {
        init();
        Cli.Run load = cli.run("load-csv", "--url", db.url(), "--dir", Fixtures.exportFolder(tmp).toString());
        assertEquals(0, load.exitCode(), load::toString);
        String before = db.snapshot();
        List<List<Object>> historyBefore = history();
        Cli.Run again = cli.run(ispdb.testing.TestDatabase.initSchemaArguments(db.url()));
        assertEquals(0, again.exitCode(), again::toString);
        assertEquals(describe() + " already has the ispdb schema (version 6): nothing to do\n" + shardedLine(),
                again.out());
        assertEquals("", again.err());
        assertEquals(before, db.snapshot());
        assertEquals(historyBefore, history());
    }

    @Test
    void dryRunPrintsTheDdlAndLeavesTheDatabaseAlone() {
        if (kind == TestDatabase.Kind.SQLITE) {
            assertFalse(Files.exists(sqliteFile()));
        }
        Set<String> before = kind == TestDatabase.Kind.SQLITE ? Set.of() : tables();
        Cli.Run r = cli.run("init-schema", "--dry-run", "--url", db.url());
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("", r.err());
        String dialect = switch (kind) {
            case SQLITE -> "sqlite";
            case POSTGRESQL -> "postgresql";
            case MARIADB, SPIDER -> "mysql";
        };
        assertTrue(r.out().startsWith("-- db/migration/" + dialect + "/V1__create_schema.sql\n"), r::toString);
        for (String t : TABLES) {
            // MariaDB's may run again after an interrupted init-schema
            String create = kind.mariadb() ? "CREATE TABLE IF NOT EXISTS " : "CREATE TABLE ";
            assertTrue(r.out().contains(create + t + " ("), () -> t + ": " + r);
        }
        for (String[] index : new String[][] {{"fact_transaction", "customer_id"},
            {"fact_transaction", "payment_method_id"}, {"fact_transaction", "transaction_date"},
            {"clv_prediction", "customer_id"}}) {
            String ddl = kind.mariadb() ? "INDEX ix_" + index[0] + "_" + index[1] + " (" + index[1]
                    : "CREATE INDEX ix_" + index[0] + "_" + index[1] + " ON " + index[0] + " (" + index[1];
            assertTrue(r.out().contains(ddl), () -> ddl + ": " + r);
        }
        assertTrue(r.out().contains(switch (kind) {
            case SQLITE -> "AUTOINCREMENT";
            case POSTGRESQL -> "GENERATED BY DEFAULT AS IDENTITY";
            case MARIADB, SPIDER -> "ENGINE = InnoDB";
        }), r::toString);
        if (kind == TestDatabase.Kind.SQLITE) {
            assertFalse(Files.exists(sqliteFile()), "--dry-run created " + sqliteFile());
        } else {
            assertEquals(before, tables());
            assertTrue(tables().isEmpty(), () -> tables().toString());
        }
    }

    @Test
    void foreignKeysAreEnforced() throws SQLException {
        init();
        db.update("INSERT INTO dim_payment_method (payment_method_id, payment_method_name) VALUES (1, 'Cash')");
        db.update("INSERT INTO dim_customer (customer_id) VALUES (1)");
        String amount = "12.5";
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO fact_transaction (transaction_id, customer_id, payment_method_id, "
                    + "transaction_date, amount) VALUES (1, 1, 1, '2024-01-01 00:00:00', " + amount + ")");
            assertThrows(SQLException.class, () -> s.executeUpdate("INSERT INTO fact_transaction (transaction_id, "
                    + "customer_id, payment_method_id, transaction_date, amount) VALUES (2, 99, 1, '2024-01-01 00:00:00', "
                    + amount + ")"));
            assertThrows(SQLException.class, () -> s.executeUpdate("INSERT INTO fact_transaction (transaction_id, "
                    + "customer_id, payment_method_id, transaction_date, amount) VALUES (3, 1, 99, '2024-01-01 00:00:00', "
                    + amount + ")"));
            assertThrows(SQLException.class, () -> s.executeUpdate("INSERT INTO clv_prediction (customer_id, clv, "
                    + "predicted_at) VALUES (99, 1.0, '2024-01-01 00:00:00')"));
            assertThrows(SQLException.class, () -> s.executeUpdate("DELETE FROM dim_customer WHERE customer_id = 1"));
        }
        assertEquals(1, db.count("SELECT COUNT(*) FROM fact_transaction"));
        assertEquals(0, db.count("SELECT COUNT(*) FROM clv_prediction"));
    }

    @Test
    void theToolRefusesRowsWithUnknownParents() {
        init();
        for (String[] parent : new String[][] {{"customers", Fixtures.CUSTOMERS},
            {"payment-methods", Fixtures.PAYMENT_METHODS}}) {
            Cli.Run r = cli.run("load-csv", "--url", db.url(), "--table", parent[0],
                    Fixtures.write(tmp, parent[0] + ".csv", parent[1]).toString());
            assertEquals(0, r.exitCode(), r::toString);
        }
        String before = db.snapshot();
        // a good row before and after the bad one: the load is all or nothing
        Path tx = Fixtures.write(tmp, "tx.csv", "transaction_id,customer_id,payment_method_id,transaction_date,amount\n"
                + "1,0,2,2022-09-06 17:31:34.590844,201.98\n"
                + "2,0,7,2022-09-06 17:31:34.590844,201.98\n"
                + "3,99,1,2022-09-06 17:31:34.590844,201.98\n"
                + "4,1,1,2022-09-06 17:31:34.590844,201.98\n");
        Cli.Run r = cli.run("load-csv", "--url", db.url(), "--table", "transactions", tx.toString());
        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.err().startsWith(tx + ":3: payment_method_id: unknown payment method 7\n"
                + tx + ":4: customer_id: unknown customer 99\n"), r::toString);
        Path p = Fixtures.write(tmp, "p.csv", "customer_id,clv,predicted_customer_type,is_campaign1_success,"
                + "is_campaign2_success\n1,2.5,Loyal,,\n99,1.5,Star,,\n");
        Cli.Run rp = cli.run("record-prediction", "--url", db.url(), "--file", p.toString());
        assertEquals(1, rp.exitCode(), rp::toString);
        assertTrue(rp.err().startsWith(p + ":3: customer_id: unknown customer 99\n"), rp::toString);
        assertEquals(before, db.snapshot());
    }

    @Test
    void onSqliteTheToolsOwnConnectionsEnforceForeignKeys() throws SQLException {
        Assumptions.assumeTrue(kind == TestDatabase.Kind.SQLITE, "SQLite's per-connection foreign_keys");
        init();
        // the connections ispdb itself uses, as every command gets them
        try (Database d = Database.open(new Database.Settings(db.url(), null, null, 5_000), false);
                Connection c = d.dataSource().getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA foreign_keys")) {
                assertTrue(rs.next());
                assertEquals(1, rs.getInt(1));
            }
            assertThrows(SQLException.class, () -> s.executeUpdate("INSERT INTO fact_transaction (transaction_id, "
                    + "customer_id, payment_method_id, transaction_date, amount) VALUES (1, 99, 99, "
                    + "'2024-01-01 00:00:00.000000', 1.0)"));
            c.rollback();
        }
        assertEquals(0, db.count("SELECT COUNT(*) FROM fact_transaction"));
    }

    @Test
    void indexesOnTheForeignKeysAndTheTransactionDate() {
        init();
        Set<String> found = indexes();
        for (String expected : List.of("fact_transaction(customer_id)", "fact_transaction(payment_method_id)",
                "fact_transaction(transaction_date)", "clv_prediction(customer_id)")) {
            assertTrue(found.contains(expected), () -> expected + " not in " + found);
        }
    }

    /**
     * An upgrade from version 4 (a database with transactions and no purchase summaries) makes the summaries from
     * the transactions, in the migration itself: check finds none that disagrees, and the readers read them.
     */
    @Test
    void theUpgradeToVersion5MakesThePurchaseSummaries() {
        notOnSpider(UPGRADES);
        String location = switch (kind) {
            case SQLITE -> "sqlite";
            case POSTGRESQL -> "postgresql";
            case MARIADB, SPIDER -> "mysql";
        };
        org.flywaydb.core.Flyway.configure(getClass().getClassLoader()).dataSource(db.url(), null, null)
                .locations("classpath:db/migration/" + location).target("4").load().migrate();
        String t = kind == TestDatabase.Kind.SQLITE ? ".000000'" : "'";
        db.update("INSERT INTO dim_payment_method (payment_method_id, payment_method_name) VALUES (0, 'Cash')");
        db.update("INSERT INTO dim_customer (customer_id) VALUES (1), (2), (3)");
        db.update("INSERT INTO fact_transaction (transaction_id, customer_id, payment_method_id, transaction_date, amount) "
                + "VALUES (1, 1, 0, '2024-01-01 10:00:00" + t + ", 0.1), (2, 1, 0, '2024-01-01 11:00:00" + t + ", 0.2), "
                + "(3, 1, 0, '2024-01-03 09:00:00" + t + ", 0.3), (4, 2, 0, '2024-01-02 09:00:00" + t + ", 5.25)");
        Cli.Run up = cli.run(ispdb.testing.TestDatabase.initSchemaArguments(db.url()));
        assertEquals(0, up.exitCode(), up::toString);
        assertTrue(up.out().contains("from schema version 4 to 6"), up::toString);
        assertEquals(List.of(List.of(1L, 2L, 3L), List.of(2L, 1L, 1L)), List.of(
                db.query("SELECT customer_id, purchase_days, transactions FROM customer_purchase_summary "
                        + "WHERE customer_id = 1").get(0).stream().map(v -> ((Number) v).longValue()).toList(),
                db.query("SELECT customer_id, purchase_days, transactions FROM customer_purchase_summary "
                        + "WHERE customer_id = 2").get(0).stream().map(v -> ((Number) v).longValue()).toList()));
        assertEquals(2, db.count("SELECT COUNT(*) FROM customer_purchase_summary"));
        assertEquals(List.of(List.of("2024-01", 0L)), db.query("SELECT month, payment_method_id FROM monthly_revenue")
                .stream().map(r -> List.of(r.get(0), ((Number) r.get(1)).longValue())).toList(),
                "the months' revenue, filled by the upgrade");
        Cli.Run check = cli.run("check", "--url", db.url(), "--format", "csv");
        assertFalse(check.out().contains("stale-summary"), check::toString);
        assertFalse(check.out().contains("schema-drift"), check::toString);
        Cli.Run rfm = cli.run("rfm-summary", "--url", db.url(), "--format", "csv");
        assertEquals("customer_id,frequency,recency,T,monetary_value\n1,1,2.0,2.0,0.3\n2,0,0.0,1.0,0.0\n",
                rfm.out(), rfm::toString);
    }

    /** A row in flyway_schema_history for a version this ispdb does not know. */
    private void fakeVersion99() {
        db.update("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, "
                + "installed_by, execution_time, success) VALUES (99, '99', 'from the future', 'SQL', "
                + "'V99__from_the_future.sql', 0, 'someone', 0, TRUE)");
    }

    @Test
    void newerSchemaIsRefused() {
        init();
        fakeVersion99();
        String before = db.snapshot();
        List<List<Object>> historyBefore = history();
        String refusal = "ispdb: " + describe() + " has schema version 99, newer than this ispdb knows (6): "
                + "use a newer ispdb\n";

        Cli.Run init = cli.run(ispdb.testing.TestDatabase.initSchemaArguments(db.url()));
        assertEquals(3, init.exitCode(), init::toString);
        assertEquals("", init.out());
        assertEquals(refusal, init.err());

        Cli.Run list = cli.run("list-customers", "--url", db.url());
        assertEquals(3, list.exitCode(), list::toString);
        assertEquals("", list.out());
        assertEquals(refusal, list.err());

        Cli.Run record = cli.run("record-prediction", "--url", db.url(), "--customer", "1", "--clv", "1");
        assertEquals(3, record.exitCode(), record::toString);
        assertEquals(refusal, record.err());

        Cli.Run status = cli.run("schema-status", "--url", db.url());
        assertEquals(0, status.exitCode(), status::toString);
        assertTrue(status.out().contains("schema version:  99 (this ispdb: 6)\n"), status::toString);

        assertEquals(before, db.snapshot());
        assertEquals(historyBefore, history());
    }

    @Test
    void schemaStatusShowsTheVersionAndRowCounts() {
        init();
        Cli.Run load = cli.run("load-csv", "--url", db.url(), "--dir", Fixtures.exportFolder(tmp).toString());
        assertEquals(0, load.exitCode(), load::toString);
        Cli.Run r = cli.run("schema-status", "--url", db.url());
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("", r.err());
        String layout = kind != TestDatabase.Kind.SPIDER ? "" : "layout:          sharded by customer (Spider) over 3"
                + " backends: " + String.join(", ", java.util.stream.IntStream.rangeClosed(1, 3).mapToObj(n -> "ispdb_"
                + db.url().replaceAll(".*/([^/?]+).*", "$1") + "_" + n).toList()) + "\n";
        assertEquals("database:        " + describe() + "\n"
                + "schema version:  6 (this ispdb: 6)\n"
                + layout
                + "dim_payment_method 5 rows\n"
                + "dim_customer       5 rows\n"
                + "fact_transaction   5 rows\n"
                + "clv_prediction     3 rows\n", r.out());
    }

    @Test
    void schemaStatusWithoutSchemaExitsThree() {
        if (kind == TestDatabase.Kind.SQLITE) {
            Cli.Run missing = cli.run("schema-status", "--url", db.url());
            assertEquals(3, missing.exitCode(), missing::toString);
            assertEquals("ispdb: there is no database at " + sqliteFile() + ": create it with 'ispdb init-schema' "
                    + "(or check --url)\n", missing.err());
            assertFalse(Files.exists(sqliteFile()));
            db.query("SELECT 1"); // now an empty SQLite file
        }
        Cli.Run r = cli.run("schema-status", "--url", db.url());
        assertEquals(3, r.exitCode(), r::toString);
        assertEquals("", r.out());
        assertEquals("ispdb: " + describe() + " has no ispdb schema: create it with 'ispdb init-schema'\n", r.err());
    }

    @Test
    void logFileNeverContainsThePassword() throws Exception {
        Path log = tmp.resolve("run.log");
        String url = db.url();
        Cli withPassword = new Cli();
        String user = null;
        switch (kind) {
            case SQLITE -> withPassword.env("ISPDB_PASSWORD", "s3cretPW");
            case POSTGRESQL -> {
                url += (url.contains("?") ? "&" : "?") + "password=s3cretPW";
                withPassword.env("ISPDB_PASSWORD", "s3cretPW");
            }
            case MARIADB, SPIDER -> {
                // a user with that password, for this database only
                user = "ispdb_pw_" + ProcessHandle.current().pid();
                db.update("CREATE USER '" + user + "'@'%' IDENTIFIED BY 's3cretPW'");
                db.update("CREATE USER '" + user + "'@'localhost' IDENTIFIED BY 's3cretPW'");
                String name = db.url().substring(db.url().lastIndexOf('/') + 1).replaceAll("\\?.*", "");
                db.update("GRANT ALL ON " + name + ".* TO '" + user + "'@'%'");
                db.update("GRANT ALL ON " + name + ".* TO '" + user + "'@'localhost'");
                url = url.replaceAll("user=[^&]*", "user=" + user);
                withPassword.env("ISPDB_PASSWORD", "s3cretPW");
            }
        }
        try {
            Cli.Run r = withPassword.run("init-schema", "--url", url, "--log-file", log.toString());
            assertEquals(0, r.exitCode(), r::toString);
            Cli.Run v = withPassword.run("schema-status", "--url", url, "--log-file", log.toString(), "--verbose");
            assertEquals(0, v.exitCode(), v::toString);
            String text = Files.readString(log);
            assertTrue(text.contains("init-schema") && text.contains("schema-status"), text);
            assertFalse(text.contains("s3cretPW"), text);
            for (Cli.Run run : List.of(r, v)) {
                assertFalse(run.out().contains("s3cretPW") || run.err().contains("s3cretPW"), run::toString);
            }
        } finally {
            if (user != null) {
                db.update("DROP USER IF EXISTS '" + user + "'@'%'");
                db.update("DROP USER IF EXISTS '" + user + "'@'localhost'");
            }
        }
    }

    @Test
    void onSqliteALegacyDatabaseWithoutHistoryIsLeftAlone() throws Exception {
        Assumptions.assumeTrue(kind == TestDatabase.Kind.SQLITE, "the Python tool's database is an SQLite file");
        // as the Python tool (SQLAlchemy create_all) left it: the tables, no flyway_schema_history
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE dim_payment_method (payment_method_id INTEGER NOT NULL, "
                    + "payment_method_name VARCHAR, PRIMARY KEY (payment_method_id))");
            s.executeUpdate("CREATE TABLE dim_customer (customer_id INTEGER NOT NULL, age INTEGER, gender VARCHAR, "
                    + "first_transaction_date DATETIME, last_transaction_date DATETIME, survival_time INTEGER, "
                    + "event_observed BOOLEAN, PRIMARY KEY (customer_id))");
            s.executeUpdate("CREATE TABLE fact_transaction (transaction_id INTEGER NOT NULL, customer_id INTEGER, "
                    + "payment_method_id INTEGER, transaction_date DATETIME, amount FLOAT, PRIMARY KEY (transaction_id), "
                    + "FOREIGN KEY(customer_id) REFERENCES dim_customer (customer_id), "
                    + "FOREIGN KEY(payment_method_id) REFERENCES dim_payment_method (payment_method_id))");
            s.executeUpdate("CREATE TABLE clv_prediction (prediction_id INTEGER NOT NULL, customer_id INTEGER, "
                    + "clv FLOAT, predicted_customer_type VARCHAR, is_campaign1_success BOOLEAN, "
                    + "is_campaign2_success BOOLEAN, predicted_at DATETIME, PRIMARY KEY (prediction_id), "
                    + "FOREIGN KEY(customer_id) REFERENCES dim_customer (customer_id))");
            s.executeUpdate("INSERT INTO dim_customer VALUES (7, 33, 'Female', '2020-01-01 00:00:00.000000', "
                    + "'2021-01-01 00:00:00.000000', 366, 1)");
            s.executeUpdate("INSERT INTO clv_prediction VALUES (1, 7, 12.5, 'Star', 1, 0, '2024-01-01 00:00:00.000000')");
        }
        List<List<Object>> schemaBefore = db.query("SELECT type, name, sql FROM sqlite_master ORDER BY name");
        String before = db.snapshot();
        byte[] bytes = Files.readAllBytes(sqliteFile());

        Cli.Run r = cli.run(ispdb.testing.TestDatabase.initSchemaArguments(db.url()));
        assertEquals(3, r.exitCode(), r::toString);
        assertEquals("", r.out());
        assertEquals("ispdb: " + describe() + " already has tables of this schema that ispdb did not create (no "
                + "flyway_schema_history; perhaps the Python tool's database): ispdb leaves it alone. Take it over with "
                + "'ispdb init-schema --adopt' (see 'ispdb check' first), or point --url at a new database and load the data with 'ispdb load-csv'\n", r.err());
        assertEquals(schemaBefore, db.query("SELECT type, name, sql FROM sqlite_master ORDER BY name"));
        assertEquals(before, db.snapshot());
        assertTrue(Arrays.equals(bytes, Files.readAllBytes(sqliteFile())), "the file changed");

        Cli.Run list = cli.run("list-customers", "--url", db.url());
        assertEquals(3, list.exitCode(), list::toString);
        assertEquals(before, db.snapshot());
    }

    /** A database shared with another application: ispdb's tables go in beside its tables, which stay as they were. */
    @Test
    void createsTheSchemaBesideOtherApplicationsTables() {
        db.update("CREATE TABLE crm_contact (contact_id INTEGER PRIMARY KEY, email VARCHAR(200))");
        db.update("INSERT INTO crm_contact (contact_id, email) VALUES (1, 'ops@example.net')");
        Cli.Run r = cli.run(ispdb.testing.TestDatabase.initSchemaArguments(db.url()));
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("created the ispdb schema (version 6) in " + describe() + "\n" + shardedLine(), r.out());
        assertEquals("", r.err());
        assertTrue(tables().containsAll(List.of("crm_contact", "dim_customer", "load_journal")), tables()::toString);
        assertEquals(List.of(List.of(1L, "ops@example.net")), db.query("SELECT contact_id, email FROM crm_contact")
                .stream().map(row -> List.<Object>of(((Number) row.get(0)).longValue(), row.get(1))).toList());
        Cli.Run load = cli.run("load-csv", "--url", db.url(), "--dir", Fixtures.exportFolder(tmp).toString());
        assertEquals(0, load.exitCode(), load::toString);
        Cli.Run again = cli.run(ispdb.testing.TestDatabase.initSchemaArguments(db.url()));
        assertEquals(0, again.exitCode(), again::toString);
        assertEquals(describe() + " already has the ispdb schema (version 6): nothing to do\n" + shardedLine(),
                again.out());
        Cli.Run status = cli.run("schema-status", "--url", db.url());
        assertTrue(status.out().contains("schema version:  6 (this ispdb: 6)"), status::toString);
        // only ispdb's own tables without its history are "a database ispdb did not create"
        assertFalse(r.err().contains("baseline"), r::toString);
    }
}
