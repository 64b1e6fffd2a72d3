package ispdb.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.testing.Cli;
import ispdb.testing.SafetySupport;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ispdb on a real PostgreSQL primary with a streaming hot standby on 127.0.0.1 (scripts/pg-standby; a pair of its
 * own, not the machine's server, because the failover test stops the primary), started once for the class:
 * every command through a multi-host URL; reads from the standby only when the URL asks for it
 * (targetServerType=preferSecondary); eight record-prediction cron jobs with targetServerType=primary land every
 * prediction exactly once while the primary stops and the standby is promoted; a job that cannot finish exits 3.
 */
class PostgresStandbyTest extends ClusterTest {
    @RegisterExtension
    static final LocalCluster pair = LocalCluster.postgresStandby().withSampleData("primary", "primary");

    /** Both servers; the driver takes the first that is what {@code target} asks for. */
    static String multiHostUrl(String target) {
        return "jdbc:postgresql://127.0.0.1:" + pair.port("primary") + ",127.0.0.1:" + pair.port("standby")
                + "/test?user=postgres&targetServerType=" + target;
    }

    static long count(String node, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(pair.url(node)); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Until the standby has replayed all the primary has written (what a preferSecondary reader waits for). */
    static void awaitStandby() throws Exception {
        String lsn;
        try (Connection c = DriverManager.getConnection(pair.url("primary")); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn()")) {
            rs.next();
            lsn = rs.getString(1);
        }
        for (int i = 0; i < 600; i++) {
            if (count("standby", "SELECT CASE WHEN pg_last_wal_replay_lsn() >= '" + lsn + "' THEN 1 ELSE 0 END") == 1) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the standby did not replay up to " + lsn + " within 30 s");
    }

    @Test
    @Order(1)
    void everyCommandWorksThroughAMultiHostUrlAndReadsFromTheStandbyOnlyWhenAsked() throws Exception {
        String primary = multiHostUrl("primary");
        run("record-prediction", "--url", primary, "--customer", "7", "--clv", "4242.5", "--type", "Star");
        run("refresh-customer-stats", "--url", primary, "--as-of", "2024-01-01");
        // read your writes: through targetServerType=primary (or any URL without preferSecondary) at once
        assertTrue(run("list-customers", "--url", primary, "--min-clv", "4242", "--format", "csv").out()
                .contains("4242.5"));
        awaitStandby();
        for (String[] command : READS) {
            List<String> outputs = new ArrayList<>();
            for (String url : List.of(primary, multiHostUrl("preferSecondary"), pair.url("standby"))) {
                outputs.add(read(command, url));
            }
            assertEquals(outputs.get(0), outputs.get(1), command[0] + " with preferSecondary");
            assertEquals(outputs.get(0), outputs.get(2), command[0] + " on the standby");
        }
        // a write where the URL asks for a standby is refused by it: one sentence, exit code 3, nothing written
        Cli.Run refused = CLI.run("record-prediction", "--url", pair.url("standby"), "--customer", "7", "--clv", "1");
        assertEquals(3, refused.exitCode(), refused::toString);
        Cli.assertNoStackTrace(refused);
        assertEquals(121, count("primary", "SELECT COUNT(*) FROM clv_prediction"));
    }

    /**
     * Eight cron jobs with targetServerType=primary; the primary stops while they run and the standby is promoted.
     * Every job ends with exit code 0 and every prediction is on the new primary exactly once.
     */
    @Test
    @Order(2)
    void eightCronJobsLandEveryPredictionOnceThroughAFailover() throws Exception {
        int jobs = 8;
        int rows = 1000;
        long journalBefore = count("primary", "SELECT COUNT(*) FROM load_journal");
        List<SafetySupport.Child> children = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        // the jobs stop in the middle of their transactions: the test holds customer 299, the 300th row of every
        // file, so each job's foreign-key check waits for it (a fast machine would otherwise finish every job before
        // the primary stops); the primary stops under them, and this session with it
        Connection hold = DriverManager.getConnection(pair.url("primary"));
        try {
            hold.setAutoCommit(false);
            try (Statement s = hold.createStatement()) {
                s.executeQuery("SELECT * FROM dim_customer WHERE customer_id = 299 FOR UPDATE").close();
            }
            for (int j = 0; j < jobs; j++) {
                Path file = SafetySupport.predictions(tmp, "cron-" + j + ".csv", rows, 300, "cron" + j);
                logs.add(tmp.resolve("cron-" + j + ".log"));
                children.add(SafetySupport.start(tmp, List.of(), "record-prediction", "--url", multiHostUrl("primary"),
                        "--file", file.toString(), "--log-file", logs.get(j).toString()));
            }
            // mid-run: once jobs wait for the held row, in their transactions
            for (int i = 0; i < 1200 && count("primary", "SELECT COUNT(*) FROM pg_stat_activity WHERE backend_xid IS "
                    + "NOT NULL AND application_name = 'ispdb' AND wait_event_type = 'Lock'") < 2; i++) {
                Thread.sleep(50);
            }
            pair.control("stop-primary");
        } finally {
            try {
                hold.close();
            } catch (SQLException gone) {
                // the primary stopped under it
            }
        }
        pair.control("promote");
        for (SafetySupport.Child child : children) {
            Cli.Run r = child.await();
            assertEquals(0, r.exitCode(), r::toString);
        }
        int retried = 0;
        for (Path log : logs) {
            retried += SafetySupport.read(log).contains("trying again") ? 1 : 0;
        }
        System.err.println("PostgresStandbyTest: " + retried + " of " + jobs + " cron jobs tried again");
        assertTrue(retried > 0, "no job had to try again: the failover came too late");
        for (int j = 0; j < jobs; j++) {
            assertEquals(rows, count("standby", "SELECT COUNT(*) FROM clv_prediction WHERE predicted_customer_type = "
                    + "'cron" + j + "'"), "predictions of job " + j);
        }
        assertEquals(journalBefore + jobs, count("standby", "SELECT COUNT(*) FROM load_journal"));
    }

    /** No server to be had (the old primary is down): exit code 3, one sentence, nothing written. */
    @Test
    @Order(3)
    void aJobThatCannotFinishExits3WithASentence() throws Exception {
        long before = count("standby", "SELECT COUNT(*) FROM clv_prediction");
        Path file = SafetySupport.predictions(tmp, "late.csv", 10, 300, "late");
        Cli.Run r = SafetySupport.start(tmp, List.of("-Dispdb.retryMillis=2000"), "record-prediction", "--url",
                pair.url("primary"), "--file", file.toString()).await();
        assertEquals(3, r.exitCode(), r::toString);
        Cli.assertNoStackTrace(r);
        assertEquals(1, r.err().strip().lines().count(), r::toString);
        assertTrue(r.err().contains("tried"), r::toString);
        assertEquals(before, count("standby", "SELECT COUNT(*) FROM clv_prediction"));
    }
}
