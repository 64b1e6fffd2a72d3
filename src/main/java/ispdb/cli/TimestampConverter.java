package ispdb.cli;

import ispdb.model.Timestamps;
import java.time.LocalDateTime;
import picocli.CommandLine;

/** --as-of TIMESTAMP: the forms the CSV files take (YYYY-MM-DD, with an optional time and fraction). */
final class TimestampConverter implements CommandLine.ITypeConverter<LocalDateTime> {
    @Override
    public LocalDateTime convert(String value) {
        try {
            return Timestamps.parse(value.strip());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
