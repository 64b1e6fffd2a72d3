package ispdb.cli;

import ispdb.IspdbException;
import ispdb.db.Database;
import ispdb.files.OutputFile;
import ispdb.model.Table;
import ispdb.report.Format;
import ispdb.report.TableExport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Writes a table's rows, in key order, in exactly the form load-csv reads: a header of the "
                + "column names, timestamps as YYYY-MM-DD HH:MM:SS.ffffff, booleans as true/false, NULL as an "
                + "empty field. Exported, loaded into an empty database and exported again, the two files are "
                + "byte-identical, whichever databases they came from. The rows stream: memory stays flat "
                + "however large the table.",
            "",
            "Examples:",
            "  ispdb export --table customers > customers.csv",
            "  ispdb export --table transactions --output fact_transaction.csv",
            "  ispdb export --table predictions --format json --output predictions.json",
            "",
            "With --output the rows go to a temporary file beside FILE, which replaces FILE only when all of them "
                + "are written: a failure leaves FILE as it was. The file is readable by you only."})
final class ExportCommand extends DatabaseCommand {
    @Option(names = "--table", paramLabel = "TABLE", required = true, completionCandidates = TableNames.class,
            description = "The table: dim_payment_method, dim_customer, fact_transaction, clv_prediction, or "
                    + "payment-methods, customers, transactions, predictions.")
    String table;

    @Option(names = "--format", paramLabel = "csv|json", defaultValue = "csv", converter = ExportFormatConverter.class,
            completionCandidates = ExportFormatConverter.class,
            description = "csv (default): what load-csv reads; json: an array of objects, one a line (load-csv "
                    + "does not read it).")
    Format format;

    @Option(names = "--output", paramLabel = "FILE",
            description = "Write to FILE instead of standard output (- is standard output; see docs/files.md: "
                    + "never the database, a device written in place).")
    Path output;

    @Override
    int execute() {
        Table t = Table.named(table).orElseThrow(() -> IspdbException.usage(
                "--table " + table + " is not a table: use one of " + Table.allNames()));
        long start = System.nanoTime();
        long rows;
        try (Database db = open(false)) {
            db.requireSchema();
            if (output == null || output.toString().equals("-")) {
                PrintWriter out = out();
                try {
                    rows = TableExport.write(db, t, format, out);
                } catch (IOException e) {
                    throw IspdbException.usage("cannot write to standard output: " + e.getMessage());
                }
                out.flush();
                if (out.checkError()) {
                    throw IspdbException.usage("cannot write to standard output (the export is incomplete)");
                }
                return 0;
            }
            try (OutputFile file = outputFile("--output", output, OutputFile.Kind.EXPORT)) {
                try {
                    rows = TableExport.write(db, t, format, file.writer());
                } catch (IOException e) {
                    throw file.failed(e);
                }
                file.commit();
                if (file.isStandardOutput()) {
                    return 0; // no summary line after the rows
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        out().println(String.format(Locale.ROOT, "exported %d row%s of %s to %s in %.2f s", rows,
                rows == 1 ? "" : "s", t.tableName(), output, seconds));
        return 0;
    }

    /** csv or json: table is for reading on a terminal, and export writes what programs read. */
    static final class ExportFormatConverter extends WordConverter<Format> {
        ExportFormatConverter() {
            super(java.util.EnumSet.of(Format.CSV, Format.JSON));
        }
    }
}
