package ispdb.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.testing.Cli;
import ispdb.testing.DatabaseTest;
import ispdb.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;

/** What the tests of the analysis commands share: the schema, loading fixtures, and runs that must succeed. */
public abstract class AnalysisTestBase extends DatabaseTest {
    protected void load(String table, String content) {
        Cli.Run r = cli.run("load-csv", "--url", db.url(), "--table", table,
                Fixtures.write(tmp, table + ".csv", content).toString());
        assertEquals(0, r.exitCode(), r::toString);
    }

    /** Runs {@code command --url DB options...}; it must succeed with nothing on standard error. */
    protected Cli.Run ok(String command, String... options) {
        Cli.Run r = run(command, options);
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("", r.err(), r::toString);
        return r;
    }

    protected Cli.Run run(String command, String... options) {
        List<String> args = new ArrayList<>(List.of(command, "--url", db.url()));
        args.addAll(List.of(options));
        return cli.run(args.toArray(String[]::new));
    }

    /**
     * A failed run: the exit code, and a first line on standard error that is ispdb's one sentence and contains
     * {@code words} (a usage error adds a hint line), no stack trace.
     */
    protected static void assertFails(Cli.Run r, int exitCode, String words) {
        assertEquals(exitCode, r.exitCode(), r::toString);
        String[] lines = r.err().strip().split("\n");
        assertTrue(lines[0].startsWith("ispdb: ") && lines[0].contains(words), r::toString);
        assertTrue(lines.length == 1 || lines.length == 2 && lines[1].startsWith("Try '"), r::toString);
        assertFalse(r.err().contains("\tat "), r::toString);
    }

    /** CSV output without its header, split into fields (the fixtures' values hold no commas or quotes). */
    protected static List<String[]> csvRows(String out) {
        List<String[]> rows = new ArrayList<>();
        String[] lines = out.split("\n");
        for (int i = 1; i < lines.length; i++) {
            rows.add(lines[i].split(",", -1));
        }
        return rows;
    }

    /** Equal to within 1e-9, relative to the size of the numbers (absolute below 1). */
    protected static boolean close(double expected, double actual) {
        if (Double.isNaN(expected) || Double.isNaN(actual)) {
            return Double.isNaN(expected) && Double.isNaN(actual);
        }
        return Math.abs(expected - actual) <= 1e-9 * Math.max(1, Math.abs(expected));
    }
}
