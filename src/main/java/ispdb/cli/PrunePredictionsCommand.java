package ispdb.cli;

import ispdb.IspdbException;
import ispdb.db.Database;
import ispdb.load.PredictionPruning;
import ispdb.model.PredictionCount;
import ispdb.model.Table;
import ispdb.model.Timestamps;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAmount;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "prune-predictions", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Deletes old predictions: those beyond each customer's N latest (--keep-latest), those "
                + "made more than DURATION ago (--older-than), or, with both, those that are both. A customer's "
                + "latest prediction (the one list-customers shows: the newest predicted_at, then the highest "
                + "prediction_id) always stays. It deletes in batches of about 500,000 predictions, each its own "
                + "short transaction, so that readers and appends (record-prediction, predict --record) go on "
                + "meanwhile, then writes one load-journal entry with the count (see 'ispdb history'). "
                + "Interrupted, the batches done stay done and no journal entry is written: run it again.",
            "", "Examples:",
            "  ispdb prune-predictions --keep-latest 7",
            "  ispdb prune-predictions --older-than 90d --dry-run",
            "  ispdb prune-predictions --keep-latest 30 --older-than P1Y --quiet",
            "",
            "DURATION: a whole number and a unit, s, min, h, d (24 hours) or w (7 days), such as 90d, 12w, 36h or "
                + "30min; or ISO 8601, such as P90D, PT36H, P1DT12H, or P3M and P1Y (calendar months and years). "
                + "It counts back from now (UTC)."})
final class PrunePredictionsCommand extends DatabaseCommand {
    @Option(names = "--keep-latest", paramLabel = "N",
            description = "Keep each customer's N latest predictions (1 or more); delete the older ones.")
    Integer keepLatest;

    @Option(names = "--older-than", paramLabel = "DURATION", converter = AgeConverter.class,
            description = "Delete predictions made more than DURATION ago (90d, 12w, 36h, 30min, P90D; see "
                    + "below), but never a customer's latest.")
    TemporalAmount olderThan;

    @Option(names = "--dry-run", description = "Print how many predictions would be deleted, and when they were "
            + "made; write nothing.")
    boolean dryRun;

    @Mixin
    Quiet quiet;

    /** The largest --keep-latest (a customer predicted every night for 27 years). */
    static final int MAX_KEEP = 10_000;

    @Override
    int execute() {
        if (keepLatest == null && olderThan == null) {
            throw IspdbException.usage("give --keep-latest N, --older-than DURATION, or both: which predictions "
                    + "to delete");
        }
        if (keepLatest != null && (keepLatest < 1 || keepLatest > MAX_KEEP)) {
            throw IspdbException.usage("--keep-latest must be 1 to " + MAX_KEEP + " (a customer's latest "
                    + "prediction always stays), not " + keepLatest);
        }
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        LocalDateTime before = null;
        if (olderThan != null) {
            try {
                before = now.minus(olderThan);
            } catch (DateTimeException | ArithmeticException e) {
                before = null;
            }
            if (before == null || before.getYear() < 1) {
                throw IspdbException.usage("--older-than " + original("--older-than") + " reaches back before the "
                        + "year 1: give a shorter duration");
            }
        }
        PredictionPruning.Rule rule = new PredictionPruning.Rule(keepLatest == null ? 1 : keepLatest, before,
                description());
        try (Database db = open(false)) {
            db.requireSchema();
            if (dryRun) {
                PredictionPruning.Result r = PredictionPruning.dryRun(db, rule, (n, b) -> { });
                PredictionCount c = r.deleted();
                out().println("would delete " + predictions(c.predictions())
                        + (c.predictions() == 0 ? "" : " made from " + Timestamps.format(c.oldest()) + " to "
                                + Timestamps.format(c.newest()))
                        + " (" + keeps(rule) + "); nothing was written");
                return 0;
            }
            PredictionPruning.Result r = PredictionPruning.prune(db, rule, (n, b) -> deleted(Table.PREDICTION, n),
                    spec.name());
            long n = r.deleted().predictions();
            if (!quiet.on()) {
                out().println("deleted " + predictions(n) + " (" + keeps(rule) + ")"
                        + String.format(java.util.Locale.ROOT, " in %.2f s", r.seconds())
                        + (n == 0 ? "" : " (" + Summaries.rate(n, r.seconds()) + ")"));
            }
        }
        return 0;
    }

    /** "kept each customer's latest 7, and those made on or after ...". */
    private static String keeps(PredictionPruning.Rule rule) {
        String latest = rule.keep() == 1 ? "kept each customer's latest" : "kept each customer's " + rule.keep()
                + " latest";
        return rule.before() == null ? latest
                : latest + ", and every prediction made on or after " + Timestamps.format(rule.before());
    }

    private static String predictions(long n) {
        return String.format(java.util.Locale.ROOT, "%,d", n) + (n == 1 ? " prediction" : " predictions");
    }

    /** What the journal names the run by: its options as given. */
    private String description() {
        StringBuilder s = new StringBuilder();
        if (keepLatest != null) {
            s.append("--keep-latest ").append(keepLatest);
        }
        if (olderThan != null) {
            s.append(s.isEmpty() ? "" : " ").append("--older-than ").append(original("--older-than"));
        }
        return s.toString();
    }

    private String original(String option) {
        return spec.commandLine().getParseResult().matchedOption(option).originalStringValues().get(0).strip();
    }
}
