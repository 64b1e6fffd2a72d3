package ispdb.report;

import ispdb.db.Database;
import ispdb.db.Integrity;
import ispdb.model.Finding;
import java.io.PrintWriter;
import java.util.List;

/** check's report: one finding a line, {@code table, key, rule, detail}. */
public final class IntegrityReport {
    private static final List<String> COLUMNS = List.of("table", "key", "rule", "detail");
    private static final Listing<Finding> LISTING = new Listing<>(COLUMNS, IntegrityReport::values,
            COLUMNS.toArray(String[]::new), new boolean[] {false, false, false, false}, IntegrityReport::cells,
            "finding", "findings");

    private IntegrityReport() {
    }

    /** Checks the database and writes the findings to {@code out}; returns how many there were. */
    public static long write(Database db, Format format, PrintWriter out) {
        return Integrity.check(db, findings -> LISTING.write(findings, format, out));
    }

    private static Object[] values(Finding f) {
        return new Object[] {f.tableName(), f.key(), f.rule(), f.detail()};
    }

    private static String[] cells(Finding f) {
        return new String[] {f.tableName(), f.key() == null ? "" : f.key(), f.rule(), f.detail()};
    }
}
