package ispdb.cli;

import java.math.BigDecimal;
import picocli.CommandLine;

/**
 * The number options of every command, read with messages in the user's words: {@code '10x' is not a whole
 * number}, {@code 99999999999 is too large} (picocli's own say "is not a long", and take 1e309 for Infinity).
 * Registered on the whole command line by {@link Ispdb}.
 */
final class Numbers {
    private Numbers() {
    }

    static void register(CommandLine cl) {
        // one converter object per type, for the boxed and the primitive type alike: two method references of the
        // same shape in one method make the launcher's class-data dump (-Xshare:dump) of Java 17 crash
        CommandLine.ITypeConverter<Integer> ints = Numbers::toInt;
        CommandLine.ITypeConverter<Long> longs = Numbers::toLong;
        CommandLine.ITypeConverter<Double> doubles = Numbers::toDouble;
        cl.registerConverter(Integer.class, ints);
        cl.registerConverter(Integer.TYPE, ints);
        cl.registerConverter(Long.class, longs);
        cl.registerConverter(Long.TYPE, longs);
        cl.registerConverter(Double.class, doubles);
        cl.registerConverter(Double.TYPE, doubles);
    }

    static int toInt(String value) {
        long n = toLong(value);
        if (n > Integer.MAX_VALUE || n < Integer.MIN_VALUE) {
            throw new CommandLine.TypeConversionException(value.strip() + " is too " + (n > 0 ? "large" : "small")
                    + " (at most " + String.format("%,d", Integer.MAX_VALUE).replace(",", "") + ")");
        }
        return (int) n;
    }

    static long toLong(String value) {
        String text = value.strip();
        if (!text.matches("[+-]?[0-9]+")) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a whole number");
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException(text + " is too " + (text.startsWith("-") ? "small" : "large"));
        }
    }

    /** A number; NaN and Infinity as written are left to the command (which says what it takes). */
    static double toDouble(String value) {
        String text = value.strip();
        double d;
        try {
            d = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a number");
        }
        if (Double.isInfinite(d) && !text.matches("[+-]?Infinity")) {
            throw new CommandLine.TypeConversionException(text + " is too " + (d > 0 ? "large" : "small"));
        }
        if (d == 0 && new BigDecimal(text.replaceAll("[dDfF]$", "")).signum() != 0) {
            throw new CommandLine.TypeConversionException(text + " is too close to 0");
        }
        return d;
    }
}
