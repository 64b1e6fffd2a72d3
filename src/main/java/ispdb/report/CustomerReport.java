package ispdb.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import ispdb.db.CustomerMapper;
import ispdb.db.Database;
import ispdb.model.CustomerFilter;
import ispdb.model.CustomerSummary;
import ispdb.model.Timestamps;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.ibatis.cursor.Cursor;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;

/** list-customers: customers with their latest prediction, as an aligned table, CSV or JSON. */
public final class CustomerReport {
    public enum Format { TABLE, CSV, JSON }

    /** Every column, in the order CSV and JSON give them. */
    static final List<String> COLUMNS = List.of("customer_id", "age", "gender", "first_transaction_date",
            "last_transaction_date", "survival_time", "event_observed", "prediction_id", "clv",
            "predicted_customer_type", "is_campaign1_success", "is_campaign2_success", "predicted_at");

    private CustomerReport() {
    }

    /** Streams the matching customers to {@code out}; returns how many there were. */
    public static long write(Database db, CustomerFilter filter, Format format, PrintWriter out) {
        try (SqlSession session = db.session(ExecutorType.SIMPLE);
                Cursor<CustomerSummary> rows = session.getMapper(CustomerMapper.class).list(parameters(filter))) {
            return switch (format) {
                case TABLE -> table(rows, out);
                case CSV -> csv(rows, out);
                case JSON -> json(rows, out);
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            if (e instanceof UncheckedIOException || e instanceof ispdb.IspdbException) {
                throw e;
            }
            throw db.failure("list the customers", e);
        } finally {
            out.flush();
        }
    }

    private static Map<String, Object> parameters(CustomerFilter f) {
        Map<String, Object> p = new HashMap<>();
        p.put("gender", f.gender());
        p.put("minAge", f.minAge());
        p.put("maxAge", f.maxAge());
        p.put("churned", f.churned());
        p.put("type", f.type());
        p.put("minClv", f.minClv());
        p.put("sort", f.sort().option());
        p.put("descending", f.descending());
        p.put("limit", f.limit() == 0 ? Long.MAX_VALUE : (long) f.limit());
        p.put("offset", (long) f.offset());
        return p;
    }

    private static Object[] values(CustomerSummary c) {
        return new Object[] {c.customerId(), c.age(), c.gender(), c.firstTransactionDate(), c.lastTransactionDate(),
            c.survivalTime(), c.eventObserved(), c.predictionId(), c.clv(), c.predictedCustomerType(),
            c.isCampaign1Success(), c.isCampaign2Success(), c.predictedAt()};
    }

    private static long csv(Cursor<CustomerSummary> rows, PrintWriter out) throws IOException {
        // the header is written here, once, also for an empty result (Jackson's own header logic wrote it a
        // second time when there were no rows); the column names never need quoting
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(false);
        COLUMNS.forEach(schema::addColumn);
        out.print(String.join(",", COLUMNS) + "\n");
        long n = 0;
        try (SequenceWriter w = new CsvMapper().enable(com.fasterxml.jackson.dataformat.csv.CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).writer(schema.build()).writeValues(new NonClosing(out))) {
            for (CustomerSummary c : rows) {
                Object[] v = values(c);
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

    private static long json(Cursor<CustomerSummary> rows, PrintWriter out) throws IOException {
        long n = 0;
        try (JsonGenerator g = new JsonFactory().createGenerator(new NonClosing(out))) {
            // one object a line; the generator itself writes the commas between them (a raw "," of our own
            // came on top of the generator's and made the array invalid JSON)
            g.setPrettyPrinter(new OneObjectALine());
            g.writeStartArray();
            for (CustomerSummary c : rows) {
                Object[] v = values(c);
                g.writeStartObject();
                for (int i = 0; i < v.length; i++) {
                    g.writeFieldName(COLUMNS.get(i));
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

    /** Rows the table format reads ahead to size its columns; later rows stream with those widths. */
    private static final int TABLE_SIZING_ROWS = 1000;

    private static long table(Cursor<CustomerSummary> rows, PrintWriter out) {
        String[] header = {"customer_id", "age", "gender", "first_transaction", "last_transaction", "survival_days",
            "churned", "clv", "type"};
        boolean[] right = {true, true, false, false, false, true, false, true, false};
        List<String[]> ahead = new ArrayList<>();
        java.util.Iterator<CustomerSummary> it = rows.iterator();
        while (ahead.size() < TABLE_SIZING_ROWS && it.hasNext()) {
            ahead.add(cells(it.next()));
        }
        int[] width = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            width[i] = header[i].length();
        }
        for (String[] line : ahead) {
            for (int i = 0; i < line.length; i++) {
                width[i] = Math.max(width[i], line[i].length());
            }
        }
        printRow(out, header, width, right);
        String[] rule = new String[header.length];
        for (int i = 0; i < header.length; i++) {
            char[] dashes = new char[width[i]];
            Arrays.fill(dashes, '-');
            rule[i] = new String(dashes);
        }
        printRow(out, rule, width, right);
        long n = 0;
        for (String[] line : ahead) {
            printRow(out, line, width, right);
            n++;
        }
        while (it.hasNext()) {
            printRow(out, cells(it.next()), width, right);
            n++;
        }
        out.println("(" + n + (n == 1 ? " customer)" : " customers)"));
        return n;
    }

    private static String[] cells(CustomerSummary c) {
        return new String[] {Long.toString(c.customerId()), text(c.age()), text(c.gender()),
            date(c.firstTransactionDate()), date(c.lastTransactionDate()), text(c.survivalTime()),
            c.eventObserved() == null ? "" : c.eventObserved() ? "yes" : "no",
            c.clv() == null ? "" : String.format(Locale.ROOT, "%.2f", c.clv()), text(c.predictedCustomerType())};
    }

    private static void printRow(PrintWriter out, String[] cells, int[] width, boolean[] right) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                s.append("  ");
            }
            String cell = cells[i].replace('\n', ' ').replace('\r', ' ');
            int pad = Math.max(0, width[i] - cell.length());
            if (right[i]) {
                s.append(" ".repeat(pad)).append(cell);
            } else {
                s.append(cell);
                if (i < cells.length - 1) {
                    s.append(" ".repeat(pad));
                }
            }
        }
        out.println(s.toString().stripTrailing());
    }

    private static String date(LocalDateTime t) {
        return t == null ? "" : Timestamps.format(t).substring(0, 10);
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
        NonClosing(PrintWriter out) {
            super(out);
        }

        @Override
        public void close() {
            flushQuietly();
        }

        private void flushQuietly() {
            try {
                flush();
            } catch (IOException e) {
                // the PrintWriter reports its own errors
            }
        }
    }
}
