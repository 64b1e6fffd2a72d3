package ispdb.analysis;

import ispdb.IspdbException;
import ispdb.db.AnalysisMapper;
import ispdb.db.Database;
import ispdb.db.SessionSetup;
import ispdb.model.RfmSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Function;
import org.apache.ibatis.cursor.Cursor;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;

/**
 * rfm-summary: frequency, recency, T and monetary value per customer, as lifetimes'
 * {@code summary_data_from_transaction_data} defines them, computed by the database.
 */
public final class Rfm {
    /** The period transactions are grouped into, pandas' D, W (Monday to Sunday) and M. */
    public enum Freq {
        D(1), W(7),
        /** lifetimes divides by numpy's month, 1/12 of the mean Gregorian year: 30.436875 days. */
        M(365.2425 / 12);

        private final double days;

        Freq(double days) {
            this.days = days;
        }

        /** The first day of the period {@code date} is in. */
        public LocalDate start(LocalDate date) {
            return switch (this) {
                case D -> date;
                case W -> date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                case M -> date.withDayOfMonth(1);
            };
        }

        /** The first day of the next period. */
        public LocalDate next(LocalDate start) {
            return switch (this) {
                case D -> start.plusDays(1);
                case W -> start.plusWeeks(1);
                case M -> start.plusMonths(1);
            };
        }

        public double days() {
            return days;
        }
    }

    private Rfm() {
    }

    /**
     * Hands {@code use} the rows, one per customer with a transaction up to the end of as-of's period, in
     * customer_id order, as the database computes them, and returns what it returns. The same data gives the same
     * rows, to the last bit, on every run: the sums do not depend on the order the database adds in.
     *
     * @param asOf the end of observation; null: the latest transaction_date
     * @param what what the rows are for, as a failure names it ("compute the RFM summary")
     */
    public static <T> T read(Database db, LocalDateTime asOf, Freq freq, String what,
            Function<Iterator<RfmSummary>, T> use) {
        db.useMappers(AnalysisMapper.class);
        try (SqlSession session = db.session(ExecutorType.SIMPLE)) {
            AnalysisMapper mapper = session.getMapper(AnalysisMapper.class);
            LocalDateTime latest = mapper.latestTransactionDate();
            LocalDateTime end = asOf != null ? asOf : latest;
            LocalDate period = freq.start((end != null ? end : LocalDateTime.of(1970, 1, 1, 0, 0)).toLocalDate());
            // periods of a day up to a day at or after the latest transaction's: every transaction counts, as the
            // purchase summaries hold them (one row per customer instead of a grouping of every transaction)
            boolean fromSummary = freq == Freq.D && latest != null && !period.isBefore(latest.toLocalDate());
            Map<String, Object> p = new HashMap<>();
            p.put("freq", freq.name());
            p.put("periodDays", freq.days());
            p.put("asOfPeriod", period.toString());
            // no transactions at all: a bound before any, so the listing is empty
            p.put("periodEnd", end != null ? freq.next(period).atStartOfDay() : LocalDateTime.of(1, 1, 1, 0, 0));
            // one pass over the transactions, whose sorts spill to temporary files anyway: SQLite's 64 MB page cache
            // (and the sorter's memory, sized by it) would only grow the process, by 200 MB
            SessionSetup.run(session, SessionSetup.Setting.BEFORE_SCAN);
            try (Cursor<RfmSummary> rows = fromSummary ? mapper.rfmSummaryOfDays(p) : mapper.rfmSummary(p)) {
                return use.apply(rows.iterator());
            } finally {
                SessionSetup.run(session, SessionSetup.Setting.AFTER_SCAN);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (IspdbException | UncheckedIOException e) {
            throw e;
        } catch (RuntimeException e) {
            throw db.failure(what, e);
        }
    }
}
