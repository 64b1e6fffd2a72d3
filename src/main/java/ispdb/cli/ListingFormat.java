package ispdb.cli;

import ispdb.report.Format;
import picocli.CommandLine.Option;

/** {@code --format table|csv|json}, the same on every listing command (list-customers, history, check, ...). */
public final class ListingFormat {
    @Option(names = "--format", paramLabel = "table|csv|json", defaultValue = "table",
            converter = FormatConverter.class, completionCandidates = FormatConverter.class,
            description = "table (default): aligned text for a terminal; csv and json for programs, every column at "
                    + "full precision.")
    Format format;
}
