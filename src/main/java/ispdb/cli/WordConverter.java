package ispdb.cli;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine;

/**
 * Reads an enum option written the command line's way: lower case, words joined by '-' (skip-existing). It is also
 * the option's completion candidates ({@code completionCandidates = TheConverter.class}): completion offers exactly
 * the words it accepts, in the same spelling (picocli would otherwise offer the constants' names, SKIP_EXISTING).
 */
class WordConverter<E extends Enum<E>> implements CommandLine.ITypeConverter<E>, Iterable<String> {
    private final Set<E> accepted;

    WordConverter(Class<E> type) {
        this(EnumSet.allOf(type));
    }

    /** Only some of the constants: {@code accepted}, in their declaration order. */
    WordConverter(EnumSet<E> accepted) {
        this.accepted = accepted;
    }

    /** How the command line writes {@code e}: skip-existing for SKIP_EXISTING. */
    String word(E e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public E convert(String value) {
        for (E e : accepted) {
            if (word(e).equalsIgnoreCase(value.strip())) {
                return e;
            }
        }
        throw new CommandLine.TypeConversionException("'" + value + "' is not one of " + String.join(", ", this));
    }

    /** The words it accepts, in order. */
    @Override
    public Iterator<String> iterator() {
        return Arrays.asList(accepted.stream().map(this::word).toArray(String[]::new)).iterator();
    }
}
