package ispdb.cli;

import ispdb.analysis.Rfm;
import ispdb.db.Database;
import ispdb.report.RfmListing;
import java.time.LocalDateTime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "rfm-summary", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Prints frequency, recency, T and monetary_value per customer, as lifetimes' "
                + "summary_data_from_transaction_data defines them (the input of BG/NBD and Gamma-Gamma models): "
                + "transactions are summed per period; frequency is the periods with a purchase less one, recency "
                + "the periods from the first purchase to the last, T the periods from the first purchase to "
                + "as-of's period, monetary_value the mean of the repeat periods' sums (0 without any). "
                + "Transactions after as-of's period are left out.",
            "", "Examples:",
            "  ispdb rfm-summary --format csv > rfm.csv",
            "  ispdb rfm-summary --as-of 2023-12-31 --freq W --format json"})
final class RfmSummaryCommand extends DatabaseCommand {
    @Option(names = "--as-of", paramLabel = "TIMESTAMP", converter = TimestampConverter.class,
            description = "The end of observation (default: the latest transaction_date).")
    LocalDateTime asOf;

    @Option(names = "--freq", paramLabel = "D|W|M", defaultValue = "D", converter = FreqConverter.class,
            completionCandidates = FreqConverter.class,
            description = "The period: D days (default), W weeks (Monday to Sunday), M months (recency and T "
                    + "in months of 30.436875 days, as lifetimes gives them).")
    Rfm.Freq freq;

    @Mixin
    ListingFormat listing;

    @Override
    int execute() {
        try (Database db = open(false)) {
            db.requireSchema();
            RfmListing.write(db, asOf, freq, listing.format, out());
        }
        return 0;
    }

    /** D, W, M: upper case, as the help and the README write them (d, w, m are accepted too). */
    static final class FreqConverter extends WordConverter<Rfm.Freq> {
        FreqConverter() {
            super(Rfm.Freq.class);
        }

        @Override
        String word(Rfm.Freq freq) {
            return freq.name();
        }
    }
}
