package ispdb.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.testing.Cli;
import ispdb.testing.DatabaseTest;
import ispdb.testing.Fixtures;
import ispdb.testing.TestDatabase;
import ispdb.testing.TestDatabase.Kind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ispdb grant on the servers: every command run as a reader and as a loader (throwaway roles or users, dropped
 * after), what each may do works, and what it may not is refused in one sentence naming the privilege (exit 3).
 */
class GrantTest {
    private static final String CUSTOMER_HEADER = Fixtures.CUSTOMERS.lines().findFirst().orElseThrow() + "\n";
    private static final AtomicInteger COUNTER = new AtomicInteger();

    @TempDir
    Path tmp;

    private final Cli cli = new Cli();

    @Test
    void sqliteHasNoRoles() {
        Cli.Run run = cli.run("grant", "--reader", "someone", "--url", "jdbc:sqlite:" + tmp.resolve("no.sqlite"));
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("SQLite has no roles") && run.err().contains("docs/files.md"), run::toString);
        Cli.assertNoStackTrace(run);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ispdb.testing.TestDatabase#servers")
    void aRoleNameIsAnIdentifier(Kind kind) {
        String url = TestDatabase.adminUrl(kind);
        for (String bad : List.of("x; DROP TABLE dim_customer", "1abc", "a\"b", "robert'); --", "a b", "")) {
            Cli.Run run = cli.run("grant", "--loader", bad, "--url", url);
            assertEquals(2, run.exitCode(), run::toString);
            assertTrue(run.err().contains("is not a role name"), run::toString);
        }
    }

    /** Tagged as the tests that need a server (.ci/run checks they all skip without one); the others need none. */
    @Tag(DatabaseTest.TAG)
    @ParameterizedTest(name = "{0}")
    @MethodSource("ispdb.testing.TestDatabase#servers")
    void eachRoleMayDoWhatItNeedsAndNothingMore(Kind kind) {
        try (TestDatabase db = TestDatabase.create(kind, tmp)) {
            org.junit.jupiter.api.Assumptions.assumeFalse(kind == Kind.SPIDER, "not on a Spider head: grant's roles are"
                    + " one server's privileges; a head's rows are reached on the backends as its server definitions'"
                    + " user, whom grant does not manage (docs/sharding.md)");
            String admin = db.url();
            ok(cli.run("init-schema", "--url", admin));
            ok(cli.run("load-csv", "--dir", Fixtures.exportFolder(tmp).toString(), "--url", admin));
            String suffix = ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
            String reader = "ispdb_reader_" + suffix;
            String loader = "ispdb_loader_" + suffix;
            List<String> roles = List.of(reader, loader);
            try {
                for (String role : roles) {
                    db.update(kind == Kind.POSTGRESQL ? "CREATE ROLE " + role + " LOGIN"
                            : "CREATE USER '" + role + "'@'%'");
                }
                Cli.Run granted = cli.run("grant", "--reader", reader, "--url", admin);
                ok(granted);
                assertTrue(granted.out().startsWith("granted " + reader + " the privileges of a reader"), granted::toString);
                // MariaDB's user@host form
                ok(cli.run("grant", "--loader", kind == Kind.MARIADB ? "'" + loader + "'@'%'" : loader, "--url", admin));
                // granting again changes nothing
                ok(cli.run("grant", "--loader", loader, "--url", admin));

                String readerUrl = as(admin, reader);
                String loaderUrl = as(admin, loader);
                // the loader's privileges include the reader's: two of its commands stand for them all
                for (List<String> command : List.of(List.of("list-customers"), List.of("history"))) {
                    ok(run(command, loaderUrl));
                }
                for (List<String> command : readOnlyCommands()) {
                    Cli.Run run = run(command, readerUrl);
                    assertEquals(0, run.exitCode(), () -> command + " as the reader: " + run);
                }
                // check finds what it finds as the schema's owner (the fixtures' stale stats), nothing more
                Cli.Run owner = cli.run("check", "--url", admin);
                for (String url : List.of(readerUrl, loaderUrl)) {
                    Cli.Run check = cli.run("check", "--url", url);
                    assertEquals(owner.exitCode() + owner.out() + owner.err(),
                            check.exitCode() + check.out() + check.err(), check::toString);
                }
                // the reader may write nothing
                for (List<String> command : writingCommands()) {
                    refused(run(command, readerUrl));
                }
                // the loader may load (the per-row key checks where it may not skip them), record and refresh
                for (List<String> command : writingCommands()) {
                    ok(run(command, loaderUrl));
                }
                assertEquals(5 + 1, db.count("SELECT COUNT(*) FROM dim_customer"));
                assertEquals(5 + 1, db.count("SELECT COUNT(*) FROM fact_transaction"));
                assertEquals(3 + 1 + 1, db.count("SELECT COUNT(*) FROM clv_prediction"));
                assertEquals(80, db.count("SELECT age FROM dim_customer WHERE customer_id = 0"));
                // the loader may prune predictions (DELETE on clv_prediction, the one table it may delete from)
                List<String> prune = List.of("prune-predictions", "--keep-latest", "1");
                refused(run(prune, readerUrl));
                ok(run(prune, loaderUrl));
                assertEquals(db.count("SELECT COUNT(DISTINCT customer_id) FROM clv_prediction"),
                        db.count("SELECT COUNT(*) FROM clv_prediction"));
                // neither may change the schema, nor grant
                for (String url : List.of(readerUrl, loaderUrl)) {
                    Cli.Run grant = cli.run("grant", "--reader", reader, "--url", url);
                    assertEquals(3, grant.exitCode(), grant::toString);
                    Cli.assertNoStackTrace(grant);
                }
                String fresh = TestDatabase.withDatabase(loaderUrl, db.url().replaceAll(".*/([^/?]+).*", "$1") + "_x");
                refusedSchemaChange(kind, db, loaderUrl, fresh);
            } finally {
                for (String role : roles) {
                    dropRole(kind, db, role);
                }
            }
        }
    }

    /** init-schema as the loader: on a database whose schema it would have to make, refused for want of a privilege. */
    private void refusedSchemaChange(Kind kind, TestDatabase db, String loaderUrl, String freshUrl) {
        String freshName = freshUrl.replaceAll(".*/([^/?]+).*", "$1");
        String adminFresh = TestDatabase.withDatabase(db.url(), freshName);
        execute(kind == Kind.POSTGRESQL ? TestDatabase.adminUrl(kind) : db.url(), "CREATE DATABASE " + freshName);
        try {
            if (kind == Kind.MARIADB) {
                // the loader may use the new database, but not create tables in it
                execute(db.url(), "GRANT SELECT, INSERT, UPDATE ON " + freshName + ".* TO '"
                        + loaderUrl.replaceAll(".*user=([^&]+).*", "$1") + "'@'%'");
            }
            refused(cli.run("init-schema", "--url", freshUrl));
        } finally {
            execute(kind == Kind.POSTGRESQL ? TestDatabase.adminUrl(kind) : db.url(),
                    "DROP DATABASE IF EXISTS " + freshName + (kind == Kind.POSTGRESQL ? " WITH (FORCE)" : ""));
            assertTrue(adminFresh.contains(freshName));
        }
    }

    private List<List<String>> readOnlyCommands() {
        return List.of(List.of("schema-status"), List.of("list-customers"),
                List.of("export", "--table", "customers", "--output", tmp.resolve("c-" + COUNTER.incrementAndGet() + ".csv").toString()),
                List.of("rfm-summary"), List.of("survival"),
                List.of("report", "--output", tmp.resolve("r-" + COUNTER.incrementAndGet() + ".html").toString()),
                List.of("history"));
    }

    /** Each adds rows the next run of it does not refuse (new keys, or an upsert). */
    private List<List<String>> writingCommands() {
        int n = COUNTER.incrementAndGet();
        Path customers = Fixtures.write(tmp.resolve("w" + n), "dim_customer.csv",
                CUSTOMER_HEADER + (100 + n) + ",30,Female,,,,\n");
        Path transactions = Fixtures.write(tmp.resolve("w" + n), "fact_transaction.csv",
                "transaction_id,customer_id,payment_method_id,transaction_date,amount\n"
                        + (100 + n) + ",0,1,2023-01-01 00:00:00,10.00\n");
        Path upsert = Fixtures.write(tmp.resolve("w" + n), "upsert.csv", CUSTOMER_HEADER + "0,80,Female,,,,\n");
        Path predictions = Fixtures.write(tmp.resolve("w" + n), "clv_prediction.csv",
                "customer_id,clv,predicted_customer_type,is_campaign1_success,is_campaign2_success\n"
                        + "1,10.5,Star,True,False\n");
        return List.of(List.of("load-csv", "--table", "customers", customers.toString()),
                List.of("load-csv", "--table", "transactions", transactions.toString()),
                List.of("load-csv", "--table", "customers", "--mode", "upsert", upsert.toString()),
                List.of("record-prediction", "--customer", "2", "--clv", "12.5", "--type", "Star"),
                List.of("record-prediction", "--file", predictions.toString()),
                List.of("refresh-customer-stats"));
    }

    private Cli.Run run(List<String> command, String url) {
        List<String> args = new ArrayList<>(command);
        args.add("--url");
        args.add(url);
        return cli.run(args.toArray(String[]::new));
    }

    private static void ok(Cli.Run run) {
        assertEquals(0, run.exitCode(), run::toString);
    }

    /** Exit 3, one sentence that names the missing privilege, no stack trace. */
    private static void refused(Cli.Run run) {
        assertEquals(3, run.exitCode(), run::toString);
        assertTrue(run.err().contains("lacks a privilege") && run.err().contains("ispdb grant"), run::toString);
        assertTrue(run.err().contains("denied"), run::toString);
        assertEquals(1, run.err().strip().lines().count(), run::toString);
        Cli.assertNoStackTrace(run);
    }

    /** The URL with the user replaced. */
    private static String as(String url, String user) {
        return url.replaceAll("user=[^&]*", "user=" + user);
    }

    private static void dropRole(Kind kind, TestDatabase db, String role) {
        if (kind == Kind.POSTGRESQL) {
            execute(db.url(), "DROP OWNED BY " + role);
            execute(db.url(), "DROP ROLE IF EXISTS " + role);
        } else {
            execute(db.url(), "DROP USER IF EXISTS '" + role + "'@'%'");
        }
    }

    private static void execute(String url, String sql) {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
                java.sql.Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
