package ispdb.cli;

import java.util.Locale;
import java.util.StringJoiner;
import picocli.CommandLine;

/** Reads an enum option written the command line's way: lower case, words joined by '-' (skip-existing). */
class WordConverter<E extends Enum<E>> implements CommandLine.ITypeConverter<E> {
    private final Class<E> type;

    WordConverter(Class<E> type) {
        this.type = type;
    }

    static String word(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public E convert(String value) {
        StringJoiner words = new StringJoiner(", ");
        for (E e : type.getEnumConstants()) {
            if (word(e).equalsIgnoreCase(value.strip())) {
                return e;
            }
            words.add(word(e));
        }
        throw new CommandLine.TypeConversionException("'" + value + "' is not one of " + words);
    }
}
