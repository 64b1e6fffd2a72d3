package ispdb.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.testing.Cli;
import ispdb.testing.DatabaseTest;
import ispdb.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same data gives the same predict --params and listing on SQLite, PostgreSQL and MariaDB, every number to 1e-9
 * relative (PostgreSQL's and MariaDB's sums are exact decimals, SQLite's doubles: their last digits may differ), on
 * CDNOW and on spend alike for everyone (Gamma-Gamma's common-spend limit). Skipped (with a message) where a server
 * is not reachable.
 */
@Tag(DatabaseTest.TAG)
class PredictAcrossDatabasesTest {
    @TempDir
    Path tmp;

    private final Cli cli = new Cli();

    @Test
    void cdnowAgreesOnAllThreeDatabases() throws Exception {
        assertAgree((c, url) -> PredictTest.loadCdnow(c, url), "--as-of", PredictTest.AS_OF);
    }

    @Test
    void spendAlikeAgreesOnAllThreeDatabases() throws Exception {
        assertAgree((c, url) -> {
            try {
                PredictTest.loadAlikeSpend(c, url, Files.createTempDirectory(tmp, "data"), null);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** Pareto/NBD and MBG/NBD on CDNOW (each its --params and listing; the database loaded once). */
    @Test
    void cdnowAgreesOnAllThreeDatabasesWithEveryModel() throws Exception {
        assertAgree((c, url) -> PredictTest.loadCdnow(c, url), List.of(
                new String[] {"--as-of", PredictTest.AS_OF, "--model", "pareto-nbd"},
                new String[] {"--as-of", PredictTest.AS_OF, "--model", "mbg-nbd"}));
    }

    /** predict --holdout-from's three sections: the same numbers on the three databases. */
    @Test
    void holdoutCheckAgreesOnAllThreeDatabases() {
        String expected = null;
        for (TestDatabase.Kind kind : TestDatabase.comparedKinds()) {
            try (TestDatabase db = TestDatabase.create(kind, tmp)) {
                PredictTest.loadCdnow(cli, db.url());
                String out = predict(db, List.of("--holdout-from", "1997-09-30", "--as-of", "1998-06-30", "--format",
                        "csv"));
                if (expected == null) {
                    expected = out;
                    assertTrue(out.split("\n").length == 1 + 8 + 2 + 78, out);
                } else {
                    assertClose(expected, out, kind.toString());
                }
            }
        }
    }

    private void assertAgree(BiConsumer<Cli, String> load, String... options) {
        assertAgree(load, List.<String[]>of(options));
    }

    /** For each set of options, predict's --params and listing agree on the three databases. */
    private void assertAgree(BiConsumer<Cli, String> load, List<String[]> optionSets) {
        List<List<String>> runs = new ArrayList<>();
        for (String[] options : optionSets) {
            List<String> params = new ArrayList<>(List.of(options));
            params.addAll(List.of("--params", "--format", "csv"));
            List<String> listing = new ArrayList<>(List.of(options));
            listing.addAll(List.of("--format", "csv"));
            runs.add(params);
            runs.add(listing);
        }
        String[] expected = null;
        for (TestDatabase.Kind kind : TestDatabase.comparedKinds()) {
            try (TestDatabase db = TestDatabase.create(kind, tmp)) {
                load.accept(cli, db.url());
                String[] outputs = runs.stream().map(options -> predict(db, options)).toArray(String[]::new);
                if (expected == null) {
                    expected = outputs;
                    for (int i = 1; i < outputs.length; i += 2) {
                        assertTrue(outputs[i].split("\n").length > 300, outputs[i]);
                    }
                } else {
                    for (int i = 0; i < outputs.length; i++) {
                        assertClose(expected[i], outputs[i], kind + " " + runs.get(i));
                    }
                }
            }
        }
    }

    private String predict(TestDatabase db, List<String> options) {
        List<String> args = new ArrayList<>(List.of("predict", "--url", db.url()));
        args.addAll(options);
        Cli.Run r = cli.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r::toString);
        return r.out();
    }

    /** The same CSV, numbers equal to 1e-9 relative (absolute below 1), everything else equal. */
    private static void assertClose(String expected, String actual, String where) {
        String[] e = expected.split("\n");
        String[] a = actual.split("\n");
        assertEquals(e.length, a.length, where);
        for (int i = 0; i < e.length; i++) {
            String[] ef = e[i].split(",", -1);
            String[] af = a[i].split(",", -1);
            assertEquals(ef.length, af.length, where + " line " + i);
            for (int j = 0; j < ef.length; j++) {
                if (ef[j].equals(af[j])) {
                    continue;
                }
                double x = Double.parseDouble(ef[j]);
                double y = Double.parseDouble(af[j]);
                int line = i;
                assertTrue(AnalysisTestBase.close(x, y), () -> where + " line " + line + ": " + e[line] + " vs " + a[line]);
            }
        }
    }
}
