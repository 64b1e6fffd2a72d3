package ispdb.db;

import java.util.Set;

/**
 * What the checked database has of the four tables, so that a rule's query asks only about tables and columns that
 * are there (a foreign database may lack some): {@code has("dim_customer")}, {@code has("clv_prediction.predicted_at")}, and {@code has("dim_customer:unkeyed")}
 * when the table has no primary key or unique constraint on its key (only then can the key repeat).
 */
public final class CheckScope {
    private final Set<String> present;

    CheckScope(Set<String> present) {
        this.present = Set.copyOf(present);
    }

    /** Whether the table ("fact_transaction") or column ("fact_transaction.amount") is there. */
    public boolean has(String tableOrColumn) {
        return present.contains(tableOrColumn);
    }
}
