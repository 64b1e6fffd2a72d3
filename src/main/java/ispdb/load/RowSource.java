package ispdb.load;

import ispdb.csv.ExportCsv;
import ispdb.model.Table;
import java.io.IOException;

/**
 * Where a load's rows for one table come from: a CSV file ({@link CsvRows}), a table of another database
 * ({@link DatabaseRows}), or predict's estimates ({@link PredictionRows}). A source reads and types the values;
 * every row then passes the same {@link RowChecker} and goes into the same {@link RowSink}. A new kind of source is
 * one class.
 */
public interface RowSource extends AutoCloseable {
    /** One row as read: its place in the source, its values in the table's column order, or why they are bad. */
    final class Row {
        /** Where the row is: its line in a file (the header is line 1), its number in a table. */
        final long line;
        final Object[] values;
        /** For a row that could not be read: the column (or "row") and the problem, else null. */
        final String column;
        final String problem;
        private final Object text;

        Row(long line, Object[] values, String column, String problem, Object text) {
            this.line = line;
            this.values = values;
            this.column = column;
            this.problem = problem;
            this.text = text;
        }

        /** The row as the source holds it, for the reject file: a line's verbatim text, or the row as CSV. */
        String text() {
            return text instanceof Object[] v ? ExportCsv.line(v) : (String) text;
        }
    }

    Table table();

    /** How messages, the journal and the progress bar name the source: a path, {@code <stdin>}, a URL's table. */
    String name();

    /** How the load journal names the source (its file_name). */
    default String journalName() {
        return name();
    }

    /** Readies the source (a file's header is read and checked here). */
    void open() throws IOException;

    /** Whether the rows carry the primary key (a predictions file may leave it to the database). */
    boolean givesKeys();

    /** Whether the load is large enough for the bulk path (see {@link Loader}). */
    boolean large();

    /** The next row, or null after the last. */
    Row next() throws IOException;

    /** How far the source has been read, in {@link #total()}'s unit (bytes of a file, rows of a table). */
    long done();

    /** The source's size in that unit, or -1 if unknown. */
    long total();

    /**
     * After the last row: the SHA-256 the load journal records (of a file's CSV text as read, decompressed if it was
     * gzip; of a table's export).
     */
    String finish() throws IOException;

    /**
     * After {@link #finish()}: another digest under which the journal may know the same content, or null: a gzip
     * file's compressed bytes (the journal recorded those for gzip before it recorded the text's).
     */
    default String formerSha256() {
        return null;
    }

    /** The size the load journal records: a file's CSV text bytes read (decompressed); a table's export bytes. */
    long journalSize();

    /** Whether the journal refuses this source if the same bytes were loaded before (predictions files). */
    boolean refusedIfRepeated();

    @Override
    void close() throws IOException;
}
