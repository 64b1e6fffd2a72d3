package ispdb.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import ispdb.model.Timestamps;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Rows as an aligned table, CSV or JSON: the one output of every listing command. CSV and JSON carry the
 * {@code fields} (names and typed values); the table shows the {@code cells} (headings and text), which may be
 * fewer and shorter. Rows stream: the table sizes its columns on the first 1000 rows.
 *
 * @param <R> the row record
 */
public final class Listing<R> {
    /** Rows the table format reads ahead to size its columns; later rows stream with those widths. */
    private static final int TABLE_SIZING_ROWS = 1000;

    private final List<String> names;
    private final Function<R, Object[]> values;
    private final String[] headings;
    private final boolean[] right;
    private final Function<R, String[]> cells;
    private final String one;
    private final String many;

    /**
     * @param names    the CSV and JSON column names
     * @param values   a row's values in {@code names}' order: null, numbers, booleans, timestamps or text
     * @param headings the table's column headings
     * @param right    which table columns are right-aligned (numbers)
     * @param cells    a row's table cells, in {@code headings}' order
     * @param one      the table's count line names one row so ("customer"), null for no count line
     * @param many     and several so ("customers")
     */
    public Listing(List<String> names, Function<R, Object[]> values, String[] headings, boolean[] right,
            Function<R, String[]> cells, String one, String many) {
        this.names = List.copyOf(names);
        this.values = values;
        this.headings = headings.clone();
        this.right = right.clone();
        this.cells = cells;
        this.one = one;
        this.many = many;
    }

    /** Writes the rows to {@code out} in {@code format}; returns how many there were. */
    public long write(Iterator<R> rows, Format format, PrintWriter out) {
        try {
            return switch (format) {
                case TABLE -> table(rows, out);
                case CSV -> csv(rows, out);
                case JSON -> json(rows, out);
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            out.flush();
        }
    }

    /**
     * Writes the rows as CSV or JSON to a writer whose failures matter (a file): an {@link IOException} is
     * thrown, not swallowed as a PrintWriter would.
     */
    public long writeData(Iterator<R> rows, Format format, java.io.Writer out) throws IOException {
        return switch (format) {
            case CSV -> csv(rows, out);
            case JSON -> json(rows, out);
            case TABLE -> throw new IllegalArgumentException("writeData writes csv or json");
        };
    }

    private long csv(Iterator<R> rows, java.io.Writer out) throws IOException {
        // the header is written here, once, also for an empty result (Jackson's own header logic wrote it a
        // second time when there were no rows); the column names never need quoting
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(false);
        names.forEach(schema::addColumn);
        out.write(String.join(",", names) + "\n");
        // the rows go to the CSV generator itself, each an array of text, as Jackson's databinding hands a list to
        // it (the same encoder and quoting), without a serialiser looked up per row; flushed when it closes, not
        // after every row (through the auto-flushing PrintWriter that was one write system call a row)
        CsvMapper mapper = new CsvMapper().enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING);
        long n = 0;
        try (CsvGenerator w = (CsvGenerator) mapper.getFactory().createGenerator(new NonClosing(out))) {
            w.setSchema(schema.build());
            while (rows.hasNext()) {
                Object[] v = values.apply(rows.next());
                w.writeStartArray();
                for (Object o : v) {
                    w.writeString(text(o));
                }
                w.writeEndArray();
                n++;
            }
        }
        return n;
    }

    private long json(Iterator<R> rows, java.io.Writer out) throws IOException {
        long n = 0;
        try (JsonGenerator g = new JsonFactory().createGenerator(new NonClosing(out))) {
            // one object a line; the generator itself writes the commas between them (a raw "," of our own
            // came on top of the generator's and made the array invalid JSON)
            g.setPrettyPrinter(new OneObjectALine());
            g.writeStartArray();
            while (rows.hasNext()) {
                Object[] v = values.apply(rows.next());
                g.writeStartObject();
                for (int i = 0; i < v.length; i++) {
                    g.writeFieldName(names.get(i));
                    Object o = v[i];
                    if (o == null) {
                        g.writeNull();
                    } else if (o instanceof Long l) {
                        g.writeNumber(l);
                    } else if (o instanceof Integer x) {
                        g.writeNumber(x);
                    } else if (o instanceof Double d) {
                        if (Double.isFinite(d)) {
                            g.writeNumber(d);
                        } else {
                            g.writeNull();
                        }
                    } else if (o instanceof Boolean b) {
                        g.writeBoolean(b);
                    } else {
                        g.writeString(text(o));
                    }
                }
                g.writeEndObject();
                n++;
            }
            g.writeEndArray();
            g.writeRaw("\n");
        }
        return n;
    }

    private long table(Iterator<R> rows, PrintWriter out) {
        List<String[]> ahead = new ArrayList<>();
        while (ahead.size() < TABLE_SIZING_ROWS && rows.hasNext()) {
            ahead.add(cells.apply(rows.next()));
        }
        int[] width = new int[headings.length];
        for (int i = 0; i < headings.length; i++) {
            width[i] = headings[i].length();
        }
        for (String[] line : ahead) {
            for (int i = 0; i < line.length; i++) {
                width[i] = Math.max(width[i], line[i].length());
            }
        }
        printRow(out, headings, width);
        String[] rule = new String[headings.length];
        for (int i = 0; i < headings.length; i++) {
            char[] dashes = new char[width[i]];
            Arrays.fill(dashes, '-');
            rule[i] = new String(dashes);
        }
        printRow(out, rule, width);
        long n = 0;
        for (String[] line : ahead) {
            printRow(out, line, width);
            n++;
        }
        while (rows.hasNext()) {
            printRow(out, cells.apply(rows.next()), width);
            n++;
        }
        if (one != null) {
            out.println("(" + n + " " + (n == 1 ? one : many) + ")");
        }
        return n;
    }

    private void printRow(PrintWriter out, String[] row, int[] width) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
            if (i > 0) {
                s.append("  ");
            }
            String cell = row[i].replace('\n', ' ').replace('\r', ' ');
            int pad = Math.max(0, width[i] - cell.length());
            if (right[i]) {
                s.append(" ".repeat(pad)).append(cell);
            } else {
                s.append(cell);
                if (i < row.length - 1) {
                    s.append(" ".repeat(pad));
                }
            }
        }
        // print, not println: the command's PrintWriter flushes on println, a write system call a row
        out.print(s.toString().stripTrailing() + System.lineSeparator());
    }

    /** A value as CSV and the table show it: empty for null (and for a number that is not finite). */
    public static String text(Object o) {
        if (o == null) {
            return "";
        }
        if (o instanceof LocalDateTime t) {
            return Timestamps.format(t);
        }
        if (o instanceof Double d && !Double.isFinite(d)) {
            return "";
        }
        return o.toString();
    }

    /** A number as a table cell shows it: in {@code format} (Locale.ROOT), empty when not finite. */
    static String finite(String format, double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, format, value) : "";
    }

    /** {@code [}, then each element on a line of its own indented by two, then {@code ]}; objects compact. */
    private static final class OneObjectALine extends com.fasterxml.jackson.core.util.MinimalPrettyPrinter {
        @Override
        public void beforeArrayValues(JsonGenerator g) throws IOException {
            g.writeRaw("\n  ");
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(",\n  ");
        }

        @Override
        public void writeEndArray(JsonGenerator g, int nrOfValues) throws IOException {
            g.writeRaw(nrOfValues == 0 ? "]" : "\n]");
        }
    }

    /** Lets Jackson close its generator without closing the command's output. */
    private static final class NonClosing extends java.io.FilterWriter {
        NonClosing(java.io.Writer out) {
            super(out);
        }

        @Override
        public void close() throws IOException {
            flush(); // a PrintWriter reports its own errors (checkError); another writer's failure is thrown
        }
    }
}
