package ispdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.testing.Cli;
import ispdb.testing.DatabaseTest;
import ispdb.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** The README's main job, on each database: schema, a folder of exports, a prediction, a listing. */
@ParameterizedClass(name = "{0}")
@MethodSource("ispdb.testing.TestDatabase#kinds")
class EndToEndTest extends DatabaseTest {
    @Test
    void schemaLoadPredictionListing() {
        Cli.Run init = cli.run(ispdb.testing.TestDatabase.initSchemaArguments(db.url()));
        assertEquals(0, init.exitCode(), init::toString);
        assertTrue(init.out().contains("created the ispdb schema (version 6)"), init::toString);

        Cli.Run load = cli.run("load-csv", "--url", db.url(), "--dir", Fixtures.exportFolder(tmp).toString());
        assertEquals(0, load.exitCode(), load::toString);
        assertTrue(load.out().startsWith("loaded 18 rows into dim_payment_method (5), dim_customer (5), "
                + "fact_transaction (5), clv_prediction (3) in "), load::toString);

        Cli.Run record = cli.run("record-prediction", "--url", db.url(), "--customer", "3", "--clv", "99.5",
                "--type", "Loyal", "--campaign1", "yes", "--campaign2", "0");
        assertEquals(0, record.exitCode(), record::toString);
        long id = Long.parseLong(record.out().strip());
        assertEquals(List.of(List.of(3L, 99.5, "Loyal")), db.query(
                "SELECT customer_id, clv, predicted_customer_type FROM clv_prediction WHERE prediction_id = " + id)
                .stream().map(r -> List.of(((Number) r.get(0)).longValue(), ((Number) r.get(1)).doubleValue(), r.get(2)))
                .toList());

        Cli.Run list = cli.run("list-customers", "--url", db.url(), "--format", "csv");
        assertEquals(0, list.exitCode(), list::toString);
        String[] lines = list.out().split("\n");
        assertEquals(6, lines.length, list::toString);
        assertEquals("0,79,Female,2020-06-23 23:36:30.665737,2022-09-06 17:31:34.590844,468,true,1,1765.46668832624,"
                + "Star,true,false,", lines[1].substring(0, lines[1].lastIndexOf(',') + 1), list::toString);
        assertTrue(lines[4].startsWith("3,41,Male,") && lines[4].contains(",99.5,Loyal,true,false,"), list::toString);
        assertEquals("4,,,,,,,,,,,,", lines[5], list::toString);
    }

    /** The README's quick start loads sample-data/ with --dir: the folder holds nothing but its exports. */
    @Test
    void theSampleDataFolderLoadsWithDirAndASecondLoadOfItsPredictionsIsRefused() {
        java.nio.file.Path sample = java.nio.file.Path.of(System.getProperty("basedir", "."), "sample-data");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(sample),
                "SKIPPED: no sample-data folder beside the build");
        assertEquals(0, cli.run(ispdb.testing.TestDatabase.initSchemaArguments(db.url())).exitCode());
        Cli.Run load = cli.run("load-csv", "--url", db.url(), "--dir", sample.toString(), "--mode", "upsert");
        assertEquals(0, load.exitCode(), load::toString);
        assertTrue(load.out().startsWith("loaded 3425 rows into dim_payment_method (5), dim_customer (300), "
                + "fact_transaction (3000), clv_prediction (120) in "), load::toString);
        String before = db.snapshot();
        Cli.Run again = cli.run("load-csv", "--url", db.url(), "--dir", sample.toString(), "--mode", "upsert");
        assertEquals(1, again.exitCode(), again::toString);
        assertTrue(again.err().contains("clv_prediction.csv: the same file"), again::toString);
        assertEquals(before, db.snapshot());
    }
}
