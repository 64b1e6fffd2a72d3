package ispdb.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The CDNOW sample (src/test/resources/ispdb/cdnow, its README says what it is), for the tests of any package. */
public final class Cdnow {
    private Cdnow() {
    }

    /** init-schema and the CDNOW sample into the database at {@code url}. */
    public static void load(Cli cli, String url) {
        assertEquals(0, cli.run(ispdb.testing.TestDatabase.initSchemaArguments(url)).exitCode());
        for (String[] file : new String[][] {{"payment-methods", "dim_payment_method.csv"},
                {"customers", "dim_customer.csv"}, {"transactions", "fact_transaction.csv.gz"}}) {
            Cli.Run r = cli.run("load-csv", "--url", url, "--table", file[0], resource(file[1]).toString());
            assertEquals(0, r.exitCode(), r::toString);
        }
    }

    private static Path resource(String name) {
        try {
            return Path.of(Cdnow.class.getResource("/ispdb/cdnow/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
