package ispdb.cli;

import ispdb.IspdbException;
import ispdb.analysis.ClvModel;
import ispdb.analysis.HoldoutCheck;
import ispdb.analysis.PurchaseModel;
import ispdb.db.Database;
import ispdb.load.LoadOptions;
import ispdb.load.LoadResult;
import ispdb.load.Loader;
import ispdb.load.PredictionRows;
import ispdb.model.Timestamps;
import ispdb.report.ClvListing;
import ispdb.report.HoldoutListing;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "predict", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Fits the CLV model on the database's own data and prints one prediction per customer, or "
                + "appends them (--record). The data is rfm-summary's with periods of a day, over every customer "
                + "with a purchase on or before as-of, recency and T in weeks (days / 7). The model of repeat "
                + "purchases (--model: BG/NBD's r, alpha, a, b; Pareto/NBD's r, alpha, s, beta; MBG/NBD's r, alpha, "
                + "a, b) is fitted by maximum likelihood on frequency, recency and T; Gamma-Gamma (p, q, v; Fader & "
                + "Hardie 2013) on the repeat customers' frequency and monetary_value. Columns: p_alive and "
                + "expected_purchases over the next N months of 4.345 weeks (the model's conditional expressions), "
                + "expected_average_value (Gamma-Gamma's conditional mean), "
                + "clv (lifetimes' customer_lifetime_value: the months' expected purchases times "
                + "expected_average_value, discounted by (1 + R)^month) and customer_type: Star (clv at or above "
                + "the median, p_alive at or above 0.5), Vulnerable (high clv, p_alive below 0.5), Free Rider "
                + "(low clv, p_alive at or above 0.5), Lost Cause (low clv, p_alive below 0.5).",
            "", "Examples:",
            "  ispdb predict --params",
            "  ispdb predict --model pareto-nbd --params",
            "  ispdb predict --as-of 2023-12-31 --months 6 --format csv > clv.csv",
            "  ispdb predict --record --log-file /var/log/ispdb/predict.log",
            "  ispdb predict --holdout-from 1997-09-30 --as-of 1998-06-30",
            "  ispdb predict --model best --record",
            "",
            "--holdout-from T checks the model instead (and writes nothing): fitted on the purchases to the end of "
                + "T's day (the calibration period), it is compared with what those customers bought after it, to "
                + "as-of (the holdout), as lifetimes' calibration_and_holdout_data splits them. It prints the mean "
                + "actual and expected holdout purchases by calibration frequency (0 to 6, 7+), the totals with the "
                + "per-customer MAE and RMSE of purchases and of spend, and the weekly tracking curve of cumulative "
                + "repeat purchases, actual and expected, from the first purchase to as-of. --format csv and json "
                + "give the three as rows of one shape with a section column (frequency, total, tracking).",
            "",
            "Exit code 1, nothing written: no customer with a purchase on or before as-of (or --holdout-from), "
                + "--holdout-from not before as-of's day, fewer than 3 repeat "
                + "customers with a positive mean spend, or a fit that does not converge. The same data gives the "
                + "same output, bit for bit, run after run. A likelihood without a finite maximum gives its "
                + "limit, with a note on standard error."})
final class PredictCommand extends DatabaseCommand {
    @Option(names = "--as-of", paramLabel = "TIMESTAMP", converter = TimestampConverter.class,
            description = "The end of observation; purchases after its day are left out (default: the latest "
                    + "transaction_date).")
    LocalDateTime asOf;

    @Option(names = "--model", paramLabel = "MODEL", defaultValue = "bg-nbd",
            converter = ModelChoice.Converter.class, completionCandidates = ModelChoice.Converter.class,
            description = "The model of repeat purchases: bg-nbd (BG/NBD, Fader, Hardie & Lee 2005: r, alpha, a, b; "
                    + "the default), pareto-nbd (Pareto/NBD, Schmittlein, Morrison & Colombo 1987: r, alpha, s, beta) "
                    + "or mbg-nbd (MBG/NBD, Batislam, Denizel & Filiztekin 2007, as lifetimes' "
                    + "ModifiedBetaGeoFitter: r, alpha, a, b). Gamma-Gamma models the spend with each. best: each is "
                    + "fitted on the calibration period (--holdout-from; without it, all but the last quarter of the "
                    + "days from the first purchase to as-of) and the one with the lowest holdout MAE of purchases "
                    + "per customer is used; their MAEs are printed on standard error.")
    ModelChoice model;

    @Option(names = "--holdout-from", paramLabel = "TIMESTAMP", converter = TimestampConverter.class,
            description = "Check the model on a holdout instead of predicting: the calibration period ends with "
                    + "this day, the holdout is the days after it to as-of's. Writes nothing.")
    LocalDateTime holdoutFrom;

    @Option(names = "--months", paramLabel = "N", defaultValue = "12",
            description = "The horizon of expected_purchases and clv, in months of 4.345 weeks, 1 to 1200 "
                    + "(default: 12).")
    int months;

    @Option(names = "--discount-rate", paramLabel = "R", defaultValue = "0.01",
            description = "The monthly discount rate of clv, 0 or more (default: 0.01, about 12.7%% a year).")
    double discountRate;

    @Option(names = "--params", description = "Print the fitted parameters (model, parameter, estimate, "
            + "standard_error, log_likelihood) instead of the customers.")
    boolean params;

    @Option(names = "--record", description = "Append one prediction per customer (clv, predicted_customer_type; "
            + "campaign flags empty) in one transaction, with a load-journal entry, and print a summary line.")
    boolean record;

    @Mixin
    ListingFormat listing;

    @Override
    int execute() {
        if (months < 1 || months > 1200) {
            throw IspdbException.usage("--months must be 1 to 1200, not " + months);
        }
        if (!(discountRate >= 0) || Double.isInfinite(discountRate)) {
            throw IspdbException.usage("--discount-rate must be a number 0 or more, not " + discountRate);
        }
        if (params && record) {
            throw IspdbException.usage("--params prints the fit and --record appends predictions: give one of them");
        }
        if (record && spec.commandLine().getParseResult().hasMatchedOption("--format")) {
            throw IspdbException.usage("--record prints a summary line only: leave out --format");
        }
        if (holdoutFrom != null && (params || record)) {
            throw IspdbException.usage("--holdout-from prints the holdout check and writes nothing: leave out "
                    + (params ? "--params" : "--record"));
        }
        try (Database db = open(false)) {
            db.requireSchema();
            PurchaseModel.Kind kind = model.kind(); // null: best
            HoldoutCheck.Candidate chosen = null;
            if (holdoutFrom != null || kind == null) {
                HoldoutCheck.Data data = HoldoutCheck.read(db, holdoutFrom, asOf);
                if (kind == null) {
                    List<HoldoutCheck.Candidate> candidates = HoldoutCheck.compare(data);
                    chosen = HoldoutCheck.best(candidates);
                    HoldoutListing.writeComparison(data, candidates, chosen, err());
                    kind = chosen.kind();
                }
                if (holdoutFrom != null) {
                    HoldoutCheck.Result check = chosen != null ? chosen.result() : HoldoutCheck.check(data, kind);
                    notes(check.model());
                    HoldoutListing.write(data, check, listing.format, out());
                    return 0;
                }
                journalNote = " (--model best: the lowest holdout MAE " + String.format(Locale.ROOT, "%.6f",
                        chosen.result().purchasesMae()) + " of a fit to " + data.calibrationEnd() + ")";
            }
            ClvModel fitted = ClvModel.fit(db, asOf, kind);
            notes(fitted);
            if (!record && fitted.spendNote() != null) {
                err().println("ispdb: " + fitted.spendNote());
            }
            if (params) {
                ClvListing.parameters().write(fitted.parameters().iterator(), listing.format, out());
                return 0;
            }
            ClvModel.Estimates estimates = fitted.estimates(months, discountRate);
            if (!record) {
                ClvListing.estimates().write(estimates.iterator(), listing.format, out());
                return 0;
            }
            LoadResult result = Loader.loadRows(db,
                    List.of(new PredictionRows(estimates, estimates.size(), journalName(kind))),
                    LoadOptions.of(spec.name()).progress(ProgressLine.forTerminal(err(), false)).build());
            loaded(result);
            Map<String, Integer> types = estimates.types();
            StringBuilder line = new StringBuilder("recorded ").append(result.loaded())
                    .append(result.loaded() == 1 ? " prediction (" : " predictions (");
            types.forEach((type, n) -> line.append(line.charAt(line.length() - 1) == '(' ? "" : ", ")
                    .append(type).append(' ').append(n));
            if (fitted.notPositiveSpend() > 0) {
                line.append("; ").append(fitted.notPositiveSpend()).append(" with a mean spend not above 0, given the "
                        + "population mean");
            }
            out().println(line.append(')').append(Summaries.timing(result)));
        }
        return 0;
    }

    /** The notes on a fit's limits, on standard error and in the log. */
    private void notes(ClvModel fitted) {
        for (String note : fitted.notes()) {
            err().println("ispdb: " + note);
            org.apache.logging.log4j.LogManager.getLogger("ispdb").warn(note);
        }
    }

    /** What --model best adds to the journal's name: why this model. */
    private String journalNote = "";

    /**
     * What the load journal names the predictions by: the options that make them again (the model --model best
     * chose, and why).
     */
    private String journalName(PurchaseModel.Kind kind) {
        boolean named = kind != PurchaseModel.Kind.BG_NBD || model == ModelChoice.BEST;
        return "predict" + (named ? " --model " + kind.option() : "")
                + (asOf != null ? " --as-of '" + Timestamps.format(asOf) + "'" : "") + " --months " + months
                + " --discount-rate " + discountRate + journalNote;
    }
}
