package ispdb.cli;

import ispdb.IspdbException;
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
            "  ispdb report --output 2023.html --as-of 2023-12-31T23:59:59",
            "  ispdb report --output check.html --holdout-from 2023-09-30",
            "",
            "With --holdout-from, a Model check section: the model of repeat purchases fitted on the purchases to "
                + "the end of that day and checked on the days after it to as-of, as predict --holdout-from checks "
                + "it (the tracking curve and the holdout purchases by calibration frequency)."})
final class ReportCommand extends DatabaseCommand {
    @Option(names = "--output", paramLabel = "FILE.html", required = true,
            description = "The page to write (replaced whole if it exists; - is standard output).")
    Path output;

    @Option(names = "--as-of", paramLabel = "TIMESTAMP", converter = TimestampConverter.class,
            description = "Count transactions up to this time (default: the latest transaction_date).")
    LocalDateTime asOf;

    @Option(names = "--holdout-from", paramLabel = "TIMESTAMP", converter = TimestampConverter.class,
            description = "Add the Model check section: the model fitted on the purchases to the end of this day, "
                    + "checked on the days after it to as-of.")
    LocalDateTime holdoutFrom;

    @Option(names = "--model", paramLabel = "MODEL", defaultValue = "bg-nbd",
            converter = ModelChoice.Converter.class, completionCandidates = ModelChoice.Converter.class,
            description = "The model the Model check checks, as predict's --model (default: bg-nbd; best: the one "
                    + "with the lowest holdout MAE). Only with --holdout-from.")
    ModelChoice model;

    @Override
    int execute() {
        if (holdoutFrom == null && spec.commandLine().getParseResult().hasMatchedOption("--model")) {
            throw IspdbException.usage("--model chooses the model of the Model check: give --holdout-from too");
        }
        OutputFile.check("--output", output, OutputFile.Kind.REPORT, databaseFiles(), inputs());
        try (Database db = open(false); OutputFile file = outputFile("--output", output, OutputFile.Kind.REPORT)) {
            db.requireSchema();
            HtmlReport.Result r = HtmlReport.write(db, asOf, holdoutFrom, model.kind(), file, Version.version());
            if (file.isStandardOutput()) {
                return 0; // the page alone
            }
            out().println("wrote " + r.file() + " (" + r.customers() + (r.customers() == 1 ? " customer" : " customers")
                    + ", " + r.charts() + " charts)");
        }
        return 0;
    }
}
