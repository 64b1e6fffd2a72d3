package ispdb.model;

import java.time.Duration;
import java.time.LocalDateTime;

/**
 * The rules that hold between the values of one row, beyond each value's own type and domain (see
 * {@link Values}): a customer's first transaction is not after the last, a prediction is not made in the future.
 */
public final class RowRules {
    /** How far past the current time a predicted_at may be (clocks differ a little between machines). */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    /** What is wrong with a row: the column to name, and a phrase. */
    public record Problem(String column, String message) {
    }

    private RowRules() {
    }

    /**
     * The first rule the row breaks, or null.
     *
     * @param values the row's values in the table's column order
     * @param now the current time, UTC
     */
    public static Problem check(Table table, Object[] values, LocalDateTime now) {
        if (table == Table.CUSTOMER && values[3] instanceof LocalDateTime first
                && values[4] instanceof LocalDateTime last && first.isAfter(last)) {
            return new Problem("first_transaction_date", Timestamps.format(first)
                    + " is after last_transaction_date " + Timestamps.format(last));
        }
        if (table == Table.PREDICTION && values[6] instanceof LocalDateTime at && at.isAfter(now.plus(CLOCK_SKEW))) {
            return new Problem("predicted_at", Timestamps.format(at) + " is in the future (now is "
                    + Timestamps.format(now) + " UTC; a prediction may be dated at most "
                    + CLOCK_SKEW.toMinutes() + " minutes ahead)");
        }
        return null;
    }
}
