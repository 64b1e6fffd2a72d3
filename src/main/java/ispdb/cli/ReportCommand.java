package ispdb.cli;

import ispdb.db.Database;
import ispdb.files.OutputFile;
import ispdb.report.HtmlReport;
import java.nio.file.Path;
import java.time.LocalDateTime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "report", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Writes one self-contained HTML page (inline SVG charts, no network requests, printable): "
                + "customers, transactions, revenue, churn rate and median survival; Kaplan-Meier curves by gender "
                + "and by customer type with 95%% confidence bands; the CLV distribution by customer type; revenue "
                + "per month by payment method; campaign success rates.",
            "", "Examples:",
            "  ispdb report --output report.html",
            "  ispdb report --output 2023.html --as-of 2023-12-31T23:59:59"})
final class ReportCommand extends DatabaseCommand {
    @Option(names = "--output", paramLabel = "FILE.html", required = true,
            description = "The page to write (replaced whole if it exists; - is standard output).")
    Path output;

    @Option(names = "--as-of", paramLabel = "TIMESTAMP", converter = TimestampConverter.class,
            description = "Count transactions up to this time (default: the latest transaction_date).")
    LocalDateTime asOf;

    @Override
    int execute() {
        OutputFile.check("--output", output, OutputFile.Kind.REPORT, databaseFiles(), inputs());
        try (Database db = open(false); OutputFile file = outputFile("--output", output, OutputFile.Kind.REPORT)) {
            db.requireSchema();
            HtmlReport.Result r = HtmlReport.write(db, asOf, file, Version.version());
            if (file.isStandardOutput()) {
                return 0; // the page alone
            }
            out().println("wrote " + r.file() + " (" + r.customers() + (r.customers() == 1 ? " customer" : " customers")
                    + ", " + r.charts() + " charts)");
        }
        return 0;
    }
}
