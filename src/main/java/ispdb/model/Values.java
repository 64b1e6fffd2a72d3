package ispdb.model;

import java.util.Locale;

/** Reads one CSV field as a value of a column's type. Every problem is a short phrase for the error report. */
public final class Values {
    private Values() {
    }

    /**
     * The value of a field, or null for an empty field of a column that allows it.
     *
     * @throws IllegalArgumentException saying what is wrong with the field
     */
    public static Object parse(Column column, String field) {
        if (field.isEmpty()) {
            if (column.required()) {
                throw new IllegalArgumentException("a value is required");
            }
            return null;
        }
        return switch (column.type()) {
            case ID -> parseLong(field);
            case INTEGER -> parseInt(column, field);
            case REAL -> parseDouble(field);
            case TEXT -> text(field);
            case TIMESTAMP -> Timestamps.parse(field);
            case BOOLEAN -> parseBoolean(field);
        };
    }

    /**
     * Checks a value already typed (read from another database) as {@link #parse} checks a field: required,
     * within the column's domain, finite, text without NUL.
     *
     * @throws IllegalArgumentException saying what is wrong with the value
     */
    public static void check(Column column, Object value) {
        if (value == null) {
            if (column.required()) {
                throw new IllegalArgumentException("a value is required");
            }
            return;
        }
        switch (column.type()) {
            case INTEGER -> {
                long v = ((Number) value).longValue();
                if (v < column.min() || v > column.max()) {
                    throw new IllegalArgumentException(outOfRange(column, Long.toString(v), column.domain()));
                }
            }
            case REAL -> {
                if (!Double.isFinite((Double) value)) {
                    throw new IllegalArgumentException("not a number: '" + value + "'");
                }
            }
            case TEXT -> text((String) value);
            default -> {
                // ids, timestamps and booleans: their Java type is their whole domain
            }
        }
    }

    public static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            if (isWholeNumber(s)) {
                throw new IllegalArgumentException("out of range: " + shorten(s)
                        + " is beyond a 64-bit whole number (-9223372036854775808 to 9223372036854775807)");
            }
            throw new IllegalArgumentException("not a whole number: '" + shorten(s) + "'");
        }
    }

    /** Digits, with a sign or not. */
    private static boolean isWholeNumber(String s) {
        int start = !s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+') ? 1 : 0;
        if (s.length() == start) {
            return false;
        }
        for (int i = start; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** A whole number in the column's domain (and in 32 bits). */
    private static int parseInt(Column column, String s) {
        long min = Math.max(column.min(), Integer.MIN_VALUE);
        long max = Math.min(column.max(), Integer.MAX_VALUE);
        long v;
        try {
            v = parseLong(s);
        } catch (IllegalArgumentException e) {
            if (!isWholeNumber(s)) {
                throw e;
            }
            v = s.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        if (v < min || v > max) {
            String domain = column.bounded() ? column.domain() : min + " to " + max;
            throw new IllegalArgumentException(outOfRange(column, s, domain));
        }
        return (int) v;
    }

    /** "out of range: 200 (age is 0 to 130)". */
    static String outOfRange(Column column, String value, String domain) {
        return "out of range: " + shorten(value) + " (" + column.name() + " is " + domain + ")";
    }

    public static double parseDouble(String s) {
        double v;
        try {
            v = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: '" + shorten(s) + "'");
        }
        // Java also reads "NaN", "Infinity", "1d" and "0x1p3"; a CSV export means none of those
        if (!Double.isFinite(v) || !isPlainNumber(s)) {
            throw new IllegalArgumentException("not a number: '" + shorten(s) + "'");
        }
        return v;
    }

    private static boolean isPlainNumber(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
                return false;
            }
        }
        return true;
    }

    public static Boolean parseBoolean(String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes":
                return Boolean.TRUE;
            case "false", "0", "no":
                return Boolean.FALSE;
            default:
                throw new IllegalArgumentException("not true/false, 1/0 or yes/no: '" + shorten(s) + "'");
        }
    }

    private static String text(String s) {
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("contains a NUL character");
        }
        return s;
    }

    /** A value as quoted in a message: at most 40 characters, control characters shown as '?'. */
    public static String shorten(String s) {
        String t = s.length() > 40 ? s.substring(0, 37) + "..." : s;
        StringBuilder b = new StringBuilder(t.length());
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        return b.toString();
    }
}
