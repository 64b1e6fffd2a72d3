package ispdb.load;

import ispdb.IspdbException;
import ispdb.csv.CsvFile;
import ispdb.csv.CsvFormatException;
import ispdb.model.Column;
import ispdb.model.Table;
import ispdb.model.Values;
import java.io.IOException;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A CSV file's rows (plain or gzip, a file or standard input): the header says where each column stands, each
 * field is read as its column's type ({@link Values}); a row that cannot be read names its line and column.
 */
final class CsvRows implements RowSource {
    /** Files of at least this many bytes take the bulk path (16 MiB; tests lower it: ispdb.test.bulkLoadBytes). */
    static final long BULK_BYTES = Long.getLong("ispdb.test.bulkLoadBytes", 16L << 20);

    private final CsvSource source;
    private final Charset encoding;
    private final char delimiter;
    private SourceBytes bytes;
    private CsvFile csv;
    private int[] positions;
    private int headerFields;

    CsvRows(CsvSource source, Charset encoding, char delimiter) {
        this.source = source;
        this.encoding = encoding;
        this.delimiter = delimiter;
    }

    @Override
    public Table table() {
        return source.table();
    }

    @Override
    public String name() {
        return source.name();
    }

    @Override
    public void open() {
        try {
            bytes = SourceBytes.open(source.opener().open());
        } catch (IOException e) {
            throw IspdbException.usage("cannot read " + source.name() + ": " + reason(e));
        }
        csv = new CsvFile(source.name(), bytes.content(), encoding, delimiter);
        CsvFile.Row header = read();
        Table table = source.table();
        if (header == null) {
            throw IspdbException.rejected(source.name() + ":1: the file is empty; it needs a header row naming "
                    + "the columns of " + table.tableName() + " (" + columnNames(table) + "); nothing was loaded");
        }
        positions = positions(header);
        headerFields = header.fieldCount();
    }

    @Override
    public boolean givesKeys() {
        return positions[0] >= 0;
    }

    @Override
    public boolean large() {
        return source.bytes() >= BULK_BYTES;
    }

    @Override
    public Row next() {
        CsvFile.Row row = read();
        if (row == null) {
            return null;
        }
        List<Column> columns = source.table().columns();
        Object[] values = new Object[columns.size()];
        if (row.fieldCount() != headerFields) {
            return new Row(row.line(), values, "row", "has " + row.fieldCount() + " field"
                    + (row.fieldCount() == 1 ? "" : "s") + ", the header has " + headerFields, row.text());
        }
        for (int i = 0; i < columns.size(); i++) {
            int at = positions[i];
            if (at < 0) {
                continue;
            }
            try {
                values[i] = Values.parse(columns.get(i), row.fields().get(at));
            } catch (IllegalArgumentException e) {
                return new Row(row.line(), values, columns.get(i).name(), e.getMessage(), row.text());
            }
        }
        return new Row(row.line(), values, null, null, row.text());
    }

    private CsvFile.Row read() {
        try {
            return csv.next();
        } catch (CsvFormatException e) {
            throw IspdbException.rejected(e.describe() + "; nothing was loaded");
        }
    }

    @Override
    public long done() {
        return bytes.bytesRead();
    }

    @Override
    public long total() {
        return source.bytes();
    }

    @Override
    public String finish() {
        try {
            return bytes.finish();
        } catch (IOException e) {
            throw IspdbException.usage("cannot read " + source.name() + ": " + reason(e));
        }
    }

    @Override
    public String formerSha256() {
        return bytes.fileSha256();
    }

    @Override
    public long journalSize() {
        return bytes.textBytesRead();
    }

    @Override
    public boolean refusedIfRepeated() {
        return source.table() == Table.PREDICTION;
    }

    @Override
    public void close() throws IOException {
        try (SourceBytes closing = bytes; CsvFile closingCsv = csv) {
            // both closed
        }
    }

    /** Where each of the table's columns stands in the header (-1: left out), or the header's problems. */
    private int[] positions(CsvFile.Row header) {
        Table table = source.table();
        List<Column> columns = table.columns();
        int[] at = new int[columns.size()];
        Arrays.fill(at, -1);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            index.put(columns.get(i).name(), i);
        }
        List<String> problems = new ArrayList<>();
        for (int f = 0; f < header.fields().size(); f++) {
            String name = header.fields().get(f).strip().toLowerCase(Locale.ROOT);
            Integer column = index.get(name);
            if (column == null) {
                problems.add(source.name() + ":1: " + Values.shorten(header.fields().get(f)) + ": not a column of "
                        + table.tableName() + " (its columns: " + columnNames(table) + ")");
            } else if (at[column] >= 0) {
                problems.add(source.name() + ":1: " + name + ": named twice in the header");
            } else {
                at[column] = f;
            }
        }
        for (int i = 0; i < columns.size(); i++) {
            if (at[i] < 0 && !columns.get(i).optionalInHeader()) {
                problems.add(source.name() + ":1: " + columns.get(i).name() + ": missing from the header");
            }
        }
        if (!problems.isEmpty()) {
            String hint = headerHint(header.fields(), index.keySet());
            throw IspdbException.rejected(String.join("\n", problems) + "\n" + source.name()
                    + ": the header does not fit " + table.tableName() + "; nothing was loaded"
                    + (hint == null ? "" : "\n" + source.name() + ": " + hint));
        }
        return at;
    }

    /** What a header that does not fit most likely means, or null. */
    private String headerHint(List<String> fields, Set<String> columns) {
        if (fields.size() > 1 && (fields.get(0).isBlank() || fields.get(0).strip().equalsIgnoreCase("unnamed: 0"))) {
            return "the first column has no name: that is a pandas index column (DataFrame.to_csv writes one unless "
                    + "index=False); export with index=False, or delete the first column";
        }
        for (char d : new char[] {';', '\t', '|', ','}) {
            if (d == delimiter) {
                continue;
            }
            int named = 0;
            for (String field : fields) {
                if (field.indexOf(d) < 0) {
                    continue;
                }
                for (String part : field.split(java.util.regex.Pattern.quote(String.valueOf(d)), -1)) {
                    if (columns.contains(part.strip().toLowerCase(Locale.ROOT))) {
                        named++;
                    }
                }
            }
            if (named >= 2) {
                String option = d == '\t' ? "tab" : "'" + d + "'";
                return "the header's column names are separated by " + (d == '\t' ? "tabs" : "'" + d + "'")
                        + ", not by the delimiter '" + (delimiter == '\t' ? "\\t" : delimiter)
                        + "': add --delimiter " + option;
            }
        }
        return null;
    }

    static String columnNames(Table table) {
        StringBuilder s = new StringBuilder();
        for (Column c : table.columns()) {
            if (s.length() > 0) {
                s.append(", ");
            }
            s.append(c.name());
        }
        return s.toString();
    }

    static String reason(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
