package ispdb.report;

import ispdb.db.CustomerMapper;
import ispdb.db.Database;
import ispdb.model.CustomerFilter;
import ispdb.model.CustomerSummary;
import ispdb.model.Timestamps;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.ibatis.cursor.Cursor;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;

/** list-customers: customers with their latest prediction, as an aligned table, CSV or JSON. */
public final class CustomerReport {
    /** Every column, in the order CSV and JSON give them. */
    static final List<String> COLUMNS = List.of("customer_id", "age", "gender", "first_transaction_date",
            "last_transaction_date", "survival_time", "event_observed", "prediction_id", "clv",
            "predicted_customer_type", "is_campaign1_success", "is_campaign2_success", "predicted_at");

    static final Listing<CustomerSummary> LISTING = new Listing<>(COLUMNS, CustomerReport::values,
            new String[] {"customer_id", "age", "gender", "first_transaction", "last_transaction", "survival_days",
                "churned", "clv", "type"},
            new boolean[] {true, true, false, false, false, true, false, true, false},
            CustomerReport::cells, "customer", "customers");

    private CustomerReport() {
    }

    /** Streams the matching customers to {@code out}; returns how many there were. */
    public static long write(Database db, CustomerFilter filter, Format format, PrintWriter out) {
        try (SqlSession session = db.session(ExecutorType.SIMPLE)) {
            CustomerMapper mapper = session.getMapper(CustomerMapper.class);
            if (filter.sort() == CustomerFilter.Sort.CLV) {
                try (ByClv rows = new ByClv(mapper, filter)) {
                    return LISTING.write(rows, format, out);
                }
            }
            try (Cursor<CustomerSummary> rows = mapper.list(parameters(filter))) {
                return LISTING.write(rows.iterator(), format, out);
            }
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

    /**
     * The --sort clv order in two queries that each read in index order and stop at the limit: the customers whose
     * latest prediction matches, by clv, then (where the filter does not ask for a prediction's type or clv) the
     * customers with no prediction, by id, which come last either way. The second query runs only when the first
     * gave fewer rows than the limit; its offset is what the first part's rows leave of --offset.
     */
    private static final class ByClv implements Iterator<CustomerSummary>, AutoCloseable {
        private final CustomerMapper mapper;
        private final CustomerFilter filter;
        private Cursor<CustomerSummary> cursor;
        private Iterator<CustomerSummary> rows;
        private boolean second;
        private long given;

        ByClv(CustomerMapper mapper, CustomerFilter filter) {
            this.mapper = mapper;
            this.filter = filter;
            open(mapper.latestByClv(parameters(filter)));
        }

        private void open(Cursor<CustomerSummary> next) {
            cursor = next;
            rows = next.iterator();
        }

        @Override
        public boolean hasNext() {
            if (rows.hasNext()) {
                return true;
            }
            if (second || filter.type() != null || filter.minClv() != null) {
                return false;
            }
            second = true;
            long limit = filter.limit() == 0 ? Long.MAX_VALUE : filter.limit() - given;
            if (limit <= 0) {
                return false;
            }
            close();
            long offset = 0;
            if (given == 0 && filter.offset() > 0) {
                offset = Math.max(0, filter.offset() - mapper.countLatest(parameters(filter)));
            }
            Map<String, Object> p = parameters(filter);
            p.put("limit", limit);
            p.put("offset", offset);
            open(mapper.withoutPrediction(p));
            return rows.hasNext();
        }

        @Override
        public CustomerSummary next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            given++;
            return rows.next();
        }

        @Override
        public void close() {
            try {
                cursor.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
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

    private static String[] cells(CustomerSummary c) {
        return new String[] {Long.toString(c.customerId()), Listing.text(c.age()), Listing.text(c.gender()),
            date(c.firstTransactionDate()), date(c.lastTransactionDate()), Listing.text(c.survivalTime()),
            c.eventObserved() == null ? "" : c.eventObserved() ? "yes" : "no",
            c.clv() == null ? "" : String.format(Locale.ROOT, "%.2f", c.clv()),
            Listing.text(c.predictedCustomerType())};
    }

    private static String date(LocalDateTime t) {
        return t == null ? "" : Timestamps.format(t).substring(0, 10);
    }
}
