package ispdb.csv;

import ispdb.model.Timestamps;
import java.time.LocalDateTime;

/**
 * One row in the CSV form that export writes and load-csv reads: null as an empty field, timestamps
 * {@code YYYY-MM-DD HH:MM:SS.ffffff}, booleans true/false, numbers as Java writes them, a field quoted (RFC 4180)
 * where it holds a comma, a quote or a line break.
 */
public final class ExportCsv {
    private ExportCsv() {
    }

    /** The row's line, without the line end. */
    public static String line(Object[] values) {
        StringBuilder b = new StringBuilder(64);
        append(b, values);
        return b.toString();
    }

    /** Appends the row's line, without the line end. */
    public static void append(StringBuilder b, Object[] values) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            field(b, values[i]);
        }
    }

    private static void field(StringBuilder b, Object v) {
        if (v == null) {
            return;
        }
        if (v instanceof LocalDateTime t) {
            b.append(Timestamps.format(t));
        } else if (v instanceof String s) {
            boolean quote = false;
            for (int i = 0; i < s.length() && !quote; i++) {
                char c = s.charAt(i);
                quote = c == ',' || c == '"' || c == '\n' || c == '\r';
            }
            if (!quote) {
                b.append(s);
                return;
            }
            b.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"') {
                    b.append('"');
                }
                b.append(c);
            }
            b.append('"');
        } else {
            b.append(v);
        }
    }
}
