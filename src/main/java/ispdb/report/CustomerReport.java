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
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
        try (SqlSession session = db.session(ExecutorType.SIMPLE);
                Cursor<CustomerSummary> rows = session.getMapper(CustomerMapper.class).list(parameters(filter))) {
            return LISTING.write(rows.iterator(), format, out);
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
