package ispdb.cli;

import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAmount;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * --older-than DURATION: a whole number and a unit, {@code s}, {@code min}, {@code h}, {@code d} (24 hours) or
 * {@code w} (7 days), such as {@code 90d}, {@code 12w}, {@code 36h}, {@code 30min}; or ISO 8601: {@code P90D},
 * {@code PT36H}, {@code P1DT12H} (exact), {@code P3M}, {@code P1Y} (calendar months and years back from now). More
 * than 0; {@code m} alone is refused (minutes or months?).
 */
final class AgeConverter implements CommandLine.ITypeConverter<TemporalAmount> {
    private static final Pattern SHORT = Pattern.compile("(\\d{1,12})\\s*(s|min|h|d|w)", Pattern.CASE_INSENSITIVE);
    static final String FORMS = "a whole number and a unit (s, min, h, d, w: 90d, 12w, 36h, 30min) or ISO 8601 "
            + "(P90D, PT36H, P3M)";

    @Override
    public TemporalAmount convert(String value) {
        String v = value.strip();
        Matcher m = SHORT.matcher(v);
        TemporalAmount amount;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            amount = switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "s" -> Duration.ofSeconds(n);
                case "min" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(Math.multiplyExact(n, 7));
            };
        } else if (v.matches("(?i)\\d+\\s*m")) {
            throw new CommandLine.TypeConversionException("'" + value + "': m could be minutes or months; write "
                    + "min for minutes, or P" + v.replaceAll("\\D", "") + "M (ISO 8601) for months");
        } else if (v.regionMatches(true, 0, "P", 0, 1) || v.regionMatches(true, 0, "-P", 0, 2)) {
            amount = iso(value, v);
        } else {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a duration: give " + FORMS);
        }
        boolean positive = amount instanceof Duration d ? !d.isNegative() && !d.isZero()
                : !((Period) amount).isNegative() && !((Period) amount).isZero();
        if (!positive) {
            throw new CommandLine.TypeConversionException("'" + value + "': the duration must be more than 0");
        }
        return amount;
    }

    private static TemporalAmount iso(String value, String v) {
        try {
            return Duration.parse(v);
        } catch (DateTimeParseException e) {
            try {
                return Period.parse(v);
            } catch (DateTimeParseException e2) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not an ISO 8601 duration "
                        + "(such as P90D, PT36H, P1DT12H, P3M): give " + FORMS);
            }
        }
    }
}
