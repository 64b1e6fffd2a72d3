package ispdb.csv;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a CSV file (RFC 4180, any delimiter and encoding) row by row, streaming, with each row's physical
 * line number and verbatim text. The first row is the header.
 */
public final class CsvFile implements Closeable {
    /** The longest field accepted; a longer one is most likely a broken quote, and would only eat memory. */
    public static final int MAX_FIELD_CHARS = 1 << 20;
    /** The most fields a row may have before ispdb stops keeping them (the count is still right). */
    private static final int MAX_FIELDS_KEPT = 1024;

    /** One row: its physical line (the header is line 1), its fields, and its text as it stands in the file. */
    public record Row(long line, List<String> fields, int fieldCount, String text) {
    }

    private final String name;
    private final RecordingReader reader;
    private final CsvParser parser;
    private boolean started;
    private Row pending;
    private long pendingStart;
    private IOException pendingFailure;

    public CsvFile(String name, InputStream in, Charset charset, char delimiter) {
        this.name = name;
        this.reader = new RecordingReader(in, charset);
        // the features go on the factory: CsvParser.enable() after the parser is made does not reach its decoder.
        // Not SKIP_EMPTY_LINES: it also drops the spaces that begin a row (" 1" reads as "1", ' "a"' as a quoted
        // field), so that a row's text would not be verbatim; next() skips blank lines instead
        CsvFactory factory = CsvFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_FIELD_CHARS).build())
                .disable(CsvParser.Feature.TRIM_SPACES)
                .enable(CsvParser.Feature.WRAP_AS_ARRAY)
                .build();
        try {
            this.parser = factory.createParser(reader);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        parser.setSchema(CsvSchema.emptySchema().withColumnSeparator(delimiter).withQuoteChar('"').withoutEscapeChar());
    }

    /** The name this file goes by in messages: its path as given, or {@code <stdin>}. */
    public String name() {
        return name;
    }

    /** The next row, or null at the end of the file; blank lines (empty, or white space only) are skipped. */
    public Row next() throws CsvFormatException {
        Row row;
        do {
            row = nextRow();
        } while (row != null && row.fieldCount() == 1 && row.text().isBlank());
        return row;
    }

    private Row nextRow() throws CsvFormatException {
        if (!started) {
            started = true;
            try {
                parser.nextToken(); // the array that wraps all rows
            } catch (IOException e) {
                throw failure(e);
            }
            pending = readRow();
        }
        if (pending == null) {
            if (pendingFailure != null) {
                throw failure(pendingFailure);
            }
            return null;
        }
        Row row = pending;
        long start = pendingStart;
        pending = readRow(); // read ahead: where the next row starts, this one ends
        long end = pending != null ? pendingStart : reader.delivered();
        String text = trimLineEnd(reader.text(start, end));
        reader.forgetBefore(pending != null ? pendingStart : end);
        return new Row(row.line(), row.fields(), row.fieldCount(), text);
    }

    private Row readRow() {
        try {
            JsonToken token = parser.nextToken();
            if (token != JsonToken.START_ARRAY) {
                return null; // the end of the wrapping array, or of the input
            }
            List<String> fields = new ArrayList<>();
            int count = 0;
            long line = parser.currentTokenLocation().getLineNr();
            while ((token = parser.nextToken()) == JsonToken.VALUE_STRING) {
                if (count == 0) {
                    JsonLocation at = parser.currentTokenLocation();
                    line = at.getLineNr();
                    pendingStart = at.getCharOffset();
                }
                if (count < MAX_FIELDS_KEPT) {
                    fields.add(parser.getText());
                }
                count++;
            }
            return new Row(line, fields, count, null);
        } catch (IOException e) {
            pendingFailure = e;
            return null;
        }
    }

    private CsvFormatException failure(IOException e) {
        if (e instanceof RecordingReader.MalformedTextException m) {
            return new CsvFormatException(name, m.line,
                    (m.bytes.indexOf(' ') > 0 ? "bytes " + m.bytes + " at column " + m.column + " are"
                            : "byte " + m.bytes + " at column " + m.column + " is") + " not valid " + m.charset
                            + "; if the file is in another encoding, name it with --encoding (for example --encoding windows-1252)",
                    e);
        }
        long line = parser.currentTokenLocation().getLineNr();
        if (line <= 0) {
            line = parser.currentLocation().getLineNr();
        }
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        if (e instanceof java.util.zip.ZipException || e instanceof java.io.EOFException
                && String.valueOf(e.getMessage()).contains("ZLIB")) {
            message = "the gzip data is damaged or cut short (" + firstLine(message) + ")";
        } else if (e instanceof StreamConstraintsException) {
            message = "a field is longer than " + MAX_FIELD_CHARS + " characters (is a quote missing its closing quote?)";
        } else if (message.contains("Missing closing quote")) {
            message = "a quoted field that starts on this line has no closing quote";
        } else if (message.contains("Expected column separator")) {
            message = "a closing quote is followed by other text (a quote inside a quoted field must be doubled: \"\")";
        } else {
            message = "cannot read the file as CSV: " + firstLine(message);
        }
        return new CsvFormatException(name, line, message, e);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** A row's text without the line break that ends it (a blank line after it is a row of its own). */
    private static String trimLineEnd(String text) {
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
            end--;
        }
        return text.substring(0, end);
    }

    @Override
    public void close() throws IOException {
        parser.close();
        reader.close();
    }
}
