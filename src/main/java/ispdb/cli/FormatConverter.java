package ispdb.cli;

import ispdb.report.Format;

/** --format table|csv|json, as every listing command reads it. */
final class FormatConverter extends WordConverter<Format> {
    FormatConverter() {
        super(Format.class);
    }
}
