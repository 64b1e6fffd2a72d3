package ispdb.model;

import java.time.DateTimeException;
import java.time.LocalDateTime;

/**
 * The one text form of a timestamp that ispdb writes: {@code YYYY-MM-DD HH:MM:SS.ffffff} (a space, always six
 * fraction digits), which is what the analysts' SQLAlchemy reads back from SQLite; and the forms it reads.
 */
public final class Timestamps {
    private Timestamps() {
    }

    /** {@code 2020-06-23 23:36:30.665737}. */
    public static String format(LocalDateTime t) {
        char[] c = new char[26];
        int year = t.getYear();
        if (year < 0 || year > 9999) {
            throw new DateTimeException("year " + year + " is outside 0000-9999");
        }
        digits(c, 0, year, 4);
        c[4] = '-';
        digits(c, 5, t.getMonthValue(), 2);
        c[7] = '-';
        digits(c, 8, t.getDayOfMonth(), 2);
        c[10] = ' ';
        digits(c, 11, t.getHour(), 2);
        c[13] = ':';
        digits(c, 14, t.getMinute(), 2);
        c[16] = ':';
        digits(c, 17, t.getSecond(), 2);
        c[19] = '.';
        digits(c, 20, t.getNano() / 1000, 6);
        return new String(c);
    }

    private static void digits(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /**
     * Reads {@code YYYY-MM-DD}, {@code YYYY-MM-DD HH:MM:SS} or {@code YYYY-MM-DDTHH:MM:SS}, the time forms with
     * an optional fraction of one to six digits.
     *
     * @throws IllegalArgumentException with a sentence saying what is wrong
     */
    public static LocalDateTime parse(String s) {
        int n = s.length();
        if (n != 10 && n != 19 && (n < 21 || n > 26)) {
            throw new IllegalArgumentException(shape(s));
        }
        int year = number(s, 0, 4);
        int month = number(s, 5, 2);
        int day = number(s, 8, 2);
        if (year < 0 || month < 0 || day < 0 || s.charAt(4) != '-' || s.charAt(7) != '-') {
            throw new IllegalArgumentException(shape(s));
        }
        int hour = 0;
        int minute = 0;
        int second = 0;
        int micros = 0;
        if (n > 10) {
            char sep = s.charAt(10);
            hour = number(s, 11, 2);
            minute = number(s, 14, 2);
            second = number(s, 17, 2);
            if (sep != ' ' && sep != 'T' || hour < 0 || minute < 0 || second < 0 || s.charAt(13) != ':'
                    || s.charAt(16) != ':') {
                throw new IllegalArgumentException(shape(s));
            }
            if (n > 19) {
                if (s.charAt(19) != '.') {
                    throw new IllegalArgumentException(shape(s));
                }
                int digits = n - 20;
                micros = number(s, 20, digits);
                if (micros < 0) {
                    throw new IllegalArgumentException(shape(s));
                }
                for (int i = digits; i < 6; i++) {
                    micros *= 10;
                }
            }
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, micros * 1000);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("not a real date and time: '" + s + "' (" + e.getMessage() + ")");
        }
    }

    private static String shape(String s) {
        if (s.length() > 20 && s.length() <= 40 && s.matches("\\d{4}-\\d\\d-\\d\\d[ T]\\d\\d:\\d\\d:\\d\\d\\.\\d{7,}")) {
            return "more than six fraction digits in '" + s + "' (ispdb keeps microseconds)";
        }
        return "not a date: '" + Values.shorten(s)
                + "' (expected YYYY-MM-DD, YYYY-MM-DD HH:MM:SS or YYYY-MM-DDTHH:MM:SS, optionally with .ffffff)";
    }

    private static int number(String s, int at, int width) {
        int v = 0;
        for (int i = at; i < at + width; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
