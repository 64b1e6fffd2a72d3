package ispdb.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.testing.Cli;
import ispdb.testing.DatabaseTest;
import ispdb.testing.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SQL-looking values in every string option and every text column of the CSV files are stored and matched
 * literally, on each database, and nothing else changes.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("ispdb.testing.TestDatabase#kinds")
class SafetyInjectionTest extends DatabaseTest {
    static final List<String> HOSTILE = List.of(
            "x'); DROP TABLE dim_customer; --",
            "' OR '1'='1",
            "\"; DROP TABLE clv_prediction; --",
            "\\'; DELETE FROM dim_payment_method; -- ",
            "Robert'); DROP TABLE fact_transaction;--",
            "%' OR gender LIKE '%",
            "1; UPDATE dim_customer SET age = 0 /*",
            "$$; DROP TABLE dim_customer; $$");
    static final int N = HOSTILE.size();

    static String quoted(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    @Test
    void sqlLookingValuesAreStoredAndMatchedLiterally() {
        ok(cli.run(ispdb.testing.TestDatabase.initSchemaArguments(db.url())));

        StringBuilder pm = new StringBuilder("payment_method_id,payment_method_name\n");
        StringBuilder customers = new StringBuilder(
                "customer_id,age,gender,first_transaction_date,last_transaction_date,survival_time,event_observed\n");
        StringBuilder predictions = new StringBuilder(
                "customer_id,clv,predicted_customer_type,is_campaign1_success,is_campaign2_success\n");
        for (int i = 0; i < N; i++) {
            pm.append(i).append(',').append(quoted(HOSTILE.get(i))).append('\n');
            customers.append(i).append(",40,").append(quoted(HOSTILE.get(i))).append(",2022-01-01,2023-01-01,365,0\n");
            predictions.append(i).append(',').append(100 + i).append(',').append(quoted(HOSTILE.get(i))).append(",1,0\n");
        }
        customers.append(N).append(",50,Female,,,,\n").append(N + 1).append(",60,Male,,,,\n");
        ok(cli.run("load-csv", "--url", db.url(), "--table", "payment-methods",
                Fixtures.write(tmp, "pm.csv", pm.toString()).toString()));
        ok(cli.run("load-csv", "--url", db.url(), "--table", "customers",
                Fixtures.write(tmp, "customers.csv", customers.toString()).toString()));
        ok(cli.run("record-prediction", "--url", db.url(), "--file",
                Fixtures.write(tmp, "predictions.csv", predictions.toString()).toString()));
        ok(cli.run("record-prediction", "--url", db.url(), "--customer", Integer.toString(N), "--clv", "5",
                "--type", HOSTILE.get(0)));

        // stored literally
        assertEquals(HOSTILE, column("SELECT payment_method_name FROM dim_payment_method ORDER BY payment_method_id"));
        List<String> genders = new ArrayList<>(HOSTILE);
        genders.addAll(List.of("Female", "Male"));
        assertEquals(genders, column("SELECT gender FROM dim_customer ORDER BY customer_id"));
        List<String> types = new ArrayList<>(HOSTILE);
        types.add(HOSTILE.get(0));
        assertEquals(types, column("SELECT predicted_customer_type FROM clv_prediction ORDER BY prediction_id"));

        // matched literally
        for (int i = 0; i < N; i++) {
            String value = HOSTILE.get(i);
            assertEquals(List.of((long) i), listed("--gender", value), value);
            assertEquals(i == 0 ? List.of(0L, (long) N) : List.of((long) i), listed("--type", value), value);
            if (i % 3 == 0) { // matching ignores case, of these values too
                assertEquals(List.of((long) i), listed("--gender", value.toUpperCase(java.util.Locale.ROOT)), value);
            }
        }
        for (String option : List.of("--gender", "--type")) {
            assertEquals(List.of(), listed(option, "nobody' OR '1'='1"));
            assertEquals(List.of(), listed(option, "nobody') OR 1=1 --"));
            assertEquals(List.of(), listed(option, "%"));
        }

        // not a table, whatever it says
        Path tx = Fixtures.write(tmp, "tx.csv", Fixtures.TRANSACTIONS);
        for (String table : List.of("fact_transaction; DROP TABLE dim_customer; --", "dim_customer' --",
                "transactions\"; DELETE FROM dim_customer; --")) {
            Cli.Run r = cli.run("load-csv", "--url", db.url(), "--table", table, tx.toString());
            assertEquals(2, r.exitCode(), r::toString);
            assertTrue(r.err().contains("is not a table"), r::toString);
        }

        // nothing else changed: every table is there with its rows
        assertEquals(N, db.count("SELECT COUNT(*) FROM dim_payment_method"));
        assertEquals(N + 2, db.count("SELECT COUNT(*) FROM dim_customer"));
        assertEquals(0, db.count("SELECT COUNT(*) FROM fact_transaction"));
        assertEquals(N + 1, db.count("SELECT COUNT(*) FROM clv_prediction"));
        assertEquals(N, db.count("SELECT COUNT(*) FROM dim_customer WHERE age = 40"));
        Cli.Run status = cli.run("schema-status", "--url", db.url());
        assertEquals(0, status.exitCode(), status::toString);
    }

    private void ok(Cli.Run r) {
        assertEquals(0, r.exitCode(), r::toString);
    }

    private List<String> column(String sql) {
        return db.query(sql).stream().map(r -> (String) r.get(0)).toList();
    }

    /** The customer_ids list-customers gives with one filter. */
    private List<Long> listed(String option, String value) {
        Cli.Run r = cli.run("list-customers", "--url", db.url(), option, value, "--format", "csv", "--limit", "0");
        assertEquals(0, r.exitCode(), r::toString);
        String[] lines = r.out().split("\n");
        return IntStream.range(1, lines.length).filter(i -> !lines[i].isEmpty())
                .mapToObj(i -> Long.parseLong(lines[i].substring(0, lines[i].indexOf(',')))).toList();
    }
}
