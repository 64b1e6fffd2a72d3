package ispdb.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import ispdb.model.Timestamps;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Rows as the listing commands print them: {@code table}, aligned text for a terminal, sized on the first
 * rows and then streamed; {@code csv} with a header; {@code json}, an array with one object a line. Timestamps
 * are {@code YYYY-MM-DD HH:MM:SS.ffffff}; a missing value is empty (table, CSV) or {@code null} (JSON).
 */
public final class Listing {
    public enum Format { TABLE, CSV, JSON }

    /** Rows the table format reads ahead to size its columns; later rows stream with those widths. */
    private static final int TABLE_SIZING_ROWS = 1000;

    private final List<String> columns;
    private final String noun;

    /**
     * @param columns the column names, as CSV and JSON give them and the table heads them
     * @param noun what one row is, for the table's closing count ("load" gives "(3 loads)")
     */
    public Listing(List<String> columns, String noun) {
        this.columns = columns;
        this.noun = noun;
    }

    /** Writes the rows (each with one value per column) to {@code out}; returns how many there were. */
    public long write(Iterator<Object[]> rows, Format format, PrintWriter out) {
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

    private long csv(Iterator<Object[]> rows, PrintWriter out) throws IOException {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(false);
        columns.forEach(schema::addColumn);
        out.print(String.join(",", columns) + "\n");
        long n = 0;
        try (SequenceWriter w = new CsvMapper().enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING)
                .writer(schema.build()).writeValues(new NonClosing(out))) {
            while (rows.hasNext()) {
                Object[] v = rows.next();
                List<String> fields = new ArrayList<>(v.length);
                for (Object o : v) {
                    fields.add(text(o));
                }
                w.write(fields);
                n++;
            }
        }
        return n;
    }

    private long json(Iterator<Object[]> rows, PrintWriter out) throws IOException {
        long n = 0;
        try (JsonGenerator g = new JsonFactory().createGenerator(new NonClosing(out))) {
            g.setPrettyPrinter(new OneObjectALine());
            g.writeStartArray();
            while (rows.hasNext()) {
                Object[] v = rows.next();
                g.writeStartObject();
                for (int i = 0; i < v.length; i++) {
                    g.writeFieldName(columns.get(i));
                    Object o = v[i];
                    if (o == null) {
                        g.writeNull();
                    } else if (o instanceof Long l) {
                        g.writeNumber(l);
                    } else if (o instanceof Integer x) {
                        g.writeNumber(x);
                    } else if (o instanceof Double d) {
                        g.writeNumber(d);
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

    private long table(Iterator<Object[]> rows, PrintWriter out) {
        List<Object[]> ahead = new ArrayList<>();
        while (ahead.size() < TABLE_SIZING_ROWS && rows.hasNext()) {
            ahead.add(rows.next());
        }
        int[] width = new int[columns.size()];
        boolean[] right = new boolean[columns.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = columns.get(i).length();
            right[i] = true;
        }
        for (Object[] row : ahead) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], cell(row[i]).length());
                right[i] &= row[i] == null || row[i] instanceof Number;
            }
        }
        printRow(out, columns.toArray(String[]::new), width, right);
        String[] rule = new String[width.length];
        for (int i = 0; i < width.length; i++) {
            rule[i] = "-".repeat(width[i]);
        }
        printRow(out, rule, width, right);
        long n = 0;
        for (Object[] row : ahead) {
            printRow(out, cells(row), width, right);
            n++;
        }
        while (rows.hasNext()) {
            printRow(out, cells(rows.next()), width, right);
            n++;
        }
        out.println("(" + n + " " + noun + (n == 1 ? ")" : "s)"));
        return n;
    }

    private static String[] cells(Object[] row) {
        String[] cells = new String[row.length];
        for (int i = 0; i < row.length; i++) {
            cells[i] = cell(row[i]);
        }
        return cells;
    }

    /** A value in the table: as in CSV, line breaks as spaces. */
    private static String cell(Object o) {
        return text(o).replace('\n', ' ').replace('\r', ' ');
    }

    private static void printRow(PrintWriter out, String[] cells, int[] width, boolean[] right) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                s.append("  ");
            }
            int pad = Math.max(0, width[i] - cells[i].length());
            if (right[i]) {
                s.append(" ".repeat(pad)).append(cells[i]);
            } else {
                s.append(cells[i]);
                if (i < cells.length - 1) {
                    s.append(" ".repeat(pad));
                }
            }
        }
        out.println(s.toString().stripTrailing());
    }

    private static String text(Object o) {
        if (o == null) {
            return "";
        }
        if (o instanceof LocalDateTime t) {
            return Timestamps.format(t);
        }
        return o.toString();
    }

    /** {@code [}, then each element on a line of its own indented by two, then {@code ]}; objects compact. */
    static final class OneObjectALine extends MinimalPrettyPrinter {
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
    static final class NonClosing extends FilterWriter {
        NonClosing(PrintWriter out) {
            super(out);
        }

        @Override
        public void close() {
            try {
                flush();
            } catch (IOException e) {
                // the PrintWriter reports its own errors
            }
        }
    }
}
