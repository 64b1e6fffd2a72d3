package ispdb.load;

import ispdb.IspdbException;
import ispdb.model.Table;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One CSV input for one table, not yet opened ({@link CsvRows} reads it); {@code name} is how messages refer to it
 * (its path, or {@code <stdin>}); {@code file} is its path (null for standard input); {@code bytes} is its size if
 * known, else -1.
 */
public record CsvSource(Table table, String name, Path file, long bytes, Opener opener) {
    /** Opens a source's bytes. */
    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }

    /**
     * The table a CSV file is named after: {@code TABLE.csv} or {@code TABLE.csv.gz}, TABLE a table's name or alias
     * ({@code dim_customer.csv}, {@code customers.csv.gz}), any case; with {@code prefixed}, also a name that goes on
     * after the table's with {@code -}, {@code _} or {@code .} ({@code customers-2026-12-06.csv}).
     */
    public static java.util.Optional<Table> tableOf(String fileName, boolean prefixed) {
        String lower = fileName.toLowerCase(java.util.Locale.ROOT);
        String stem = lower.endsWith(".csv") ? lower.substring(0, lower.length() - 4)
                : lower.endsWith(".csv.gz") ? lower.substring(0, lower.length() - 7) : null;
        if (stem == null) {
            return java.util.Optional.empty();
        }
        java.util.Optional<Table> named = Table.named(stem);
        if (named.isPresent() || !prefixed) {
            return named;
        }
        for (Table t : Table.values()) {
            for (String name : new String[] {t.tableName(), t.alias()}) {
                if (stem.length() > name.length() && stem.startsWith(name)
                        && "-_.".indexOf(stem.charAt(name.length())) >= 0) {
                    return java.util.Optional.of(t);
                }
            }
        }
        return java.util.Optional.empty();
    }

    /** FILE as the command line gives it: a path, or {@code -} for standard input (a usage error if unreadable). */
    public static CsvSource of(Table table, String file) {
        if (file.equals("-")) {
            InputStream stdin = System.in;
            return new CsvSource(table, "<stdin>", null, -1, () -> stdin);
        }
        return of(table, file, Path.of(file));
    }

    /** A file, named in messages as {@code name}. */
    public static CsvSource of(Table table, String name, Path path) {
        if (Files.isDirectory(path)) {
            throw IspdbException.usage(path + " is a folder: load a folder with --dir");
        }
        if (!Files.exists(path)) {
            throw IspdbException.usage("cannot read " + path + ": no such file");
        }
        if (!Files.isReadable(path)) {
            throw IspdbException.usage("cannot read " + path + ": permission denied");
        }
        long size;
        try {
            size = Files.size(path);
        } catch (IOException e) {
            size = -1;
        }
        // a FIFO (a named pipe, or bash's <(gunzip -c ...)) through a plain FileInputStream: the NIO stream of
        // Files.newInputStream fails on it with "Illegal seek"
        boolean regular = Files.isRegularFile(path);
        return new CsvSource(table, name, path, size,
                () -> regular ? Files.newInputStream(path) : new FileInputStream(path.toFile()));
    }
}
