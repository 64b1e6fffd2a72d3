package ispdb.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small CSV exports in the legacy Python tool's format (True/False, six-digit fractions), written by tests. */
public final class Fixtures {
    public static final String PAYMENT_METHODS = """
            payment_method_id,payment_method_name
            0,Credit Card
            1,Debit Card
            2,Bank Transfer
            3,Cash
            4,Paypal
            """;

    public static final String CUSTOMERS = """
            customer_id,age,gender,first_transaction_date,last_transaction_date,survival_time,event_observed
            0,79,Female,2020-06-23 23:36:30.665737,2022-09-06 17:31:34.590844,468,True
            1,80,Male,2021-05-08 15:54:52.791820,2021-10-21 18:35:07.609632,152,True
            2,29,Female,2022-06-21 16:44:48.913227,2023-04-20 20:11:06.459957,235,False
            3,41,Male,2023-09-21 21:38:35.460343,2023-10-03 16:47:59.754367,6,False
            4,,,,,,
            """;

    public static final String TRANSACTIONS = """
            transaction_id,customer_id,payment_method_id,transaction_date,amount
            1,0,2,2022-09-06 17:31:34.590844,201.98
            2,1,1,2021-10-21 18:35:07.609632,387.39
            3,2,3,2023-04-20 20:11:06.459957,16.91
            4,3,4,2023-10-03 16:47:59.754367,61.82
            5,0,0,2020-06-23 23:36:30.665737,311.51
            """;

    public static final String PREDICTIONS = """
            customer_id,clv,predicted_customer_type,is_campaign1_success,is_campaign2_success
            0,1765.46668832624,Star,True,False
            1,1052.6935545943,Free Rider,,
            2,418.551666666667,Lost Cause,False,True
            """;

    private Fixtures() {
    }

    public static Path write(Path dir, String name, String content) {
        return write(dir, name, content, StandardCharsets.UTF_8);
    }

    public static Path write(Path dir, String name, String content, Charset charset) {
        return write(dir, name, content.getBytes(charset));
    }

    public static Path write(Path dir, String name, byte[] content) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(name);
            Files.write(file, content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A folder with all four exports, named after their tables. */
    public static Path exportFolder(Path parent) {
        Path dir = parent.resolve("export");
        write(dir, "dim_payment_method.csv", PAYMENT_METHODS);
        write(dir, "dim_customer.csv", CUSTOMERS);
        write(dir, "fact_transaction.csv", TRANSACTIONS);
        write(dir, "clv_prediction.csv", PREDICTIONS);
        return dir;
    }
}
