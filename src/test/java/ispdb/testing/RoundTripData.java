package ispdb.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The four tables' exports that export and copy must carry over unchanged, and what they give back. */
public final class RoundTripData {
    /** Values that test the round trip: NULLs, quotes, commas, line breaks, non-ASCII, awkward doubles. */
    public static final String PAYMENT_METHODS = "payment_method_id,payment_method_name\n"
            + "0,Credit Card\n1,\"Bank, \"\"direct\"\" debit\"\n2,Espèces 💶\n";
    public static final String CUSTOMERS = "customer_id,age,gender,first_transaction_date,last_transaction_date,"
            + "survival_time,event_observed\n"
            + "1,58,Female,2023-11-27 11:34:33.951108,2023-11-28 02:55:41.625744,0,True\n"
            + "2,,,,,,\n"
            + "3,130,\"two\nlines\",2020-01-01,2020-01-01T00:00:00.5,2147483647,0\n"
            + "-4,0, spaced ,0001-01-01 00:00:00,9999-12-31 23:59:59.999999,1,yes\n";
    public static final String TRANSACTIONS = "transaction_id,customer_id,payment_method_id,transaction_date,amount\n"
            + "1,1,0,2022-03-01 08:09:59.007968,387.32\n"
            + "2,2,1,2022-10-25 09:20:54.804307,133.50\n"
            + "3,3,2,2022-10-25 09:20:54,0.1\n"
            + "9223372036854775807,-4,0,2022-10-25 09:20:54,-0.000001234\n"
            + "5,1,0,2022-10-25 09:20:54,1e21\n"
            + "6,1,0,2022-10-25 09:20:54,123456789.123456789\n"
            + "7,1,0,2022-10-25 09:20:54,0.30000000000000004\n"
            + "8,1,0,2022-10-25 09:20:54,1.7976931348623157E308\n"
            + "9,1,0,2022-10-25 09:20:54,4.9E-324\n"
            + "10,1,0,2022-10-25 09:20:54,2.2250738585072014E-308\n"
            + "11,1,0,2022-10-25 09:20:54,0\n";
    public static final String PREDICTIONS = "prediction_id,customer_id,clv,predicted_customer_type,is_campaign1_success,"
            + "is_campaign2_success,predicted_at\n"
            + "1,1,3534.45,Star,True,False,2024-01-02 03:04:05.678901\n"
            + "2,2,417,,,,2024-01-02 03:04:05\n"
            + "7,3,-1.5e-10,\"Lo\"\"yal\",false,true,2024-01-02 03:04:05.000001\n";

    public static final List<String> TABLES = List.of("payment-methods", "customers", "transactions", "predictions");

    private RoundTripData() {
    }

    /** Loads the four files (written to {@code tmp}/fixtures) into {@code database}, which has the schema. */
    public static void load(Cli cli, TestDatabase database, Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("fixtures"));
        Files.writeString(dir.resolve("payment-methods.csv"), PAYMENT_METHODS, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("customers.csv"), CUSTOMERS, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("transactions.csv"), TRANSACTIONS, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("predictions.csv"), PREDICTIONS, StandardCharsets.UTF_8);
        Cli.Run load = cli.run("load-csv", "--url", database.url(), "--dir", dir.toString(), "-q");
        assertEquals(0, load.exitCode(), load::toString);
    }

    /** Every table's export, one after the other. */
    public static String exports(Cli cli, TestDatabase database) {
        StringBuilder s = new StringBuilder();
        for (String table : TABLES) {
            Cli.Run r = cli.run("export", "--url", database.url(), "--table", table);
            assertEquals(0, r.exitCode(), r::toString);
            s.append(r.out());
        }
        return s.toString();
    }
}
