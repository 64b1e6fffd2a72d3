package ispdb.db;

import ispdb.IspdbException;
import java.util.List;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

/**
 * Test support: init-schema's migrations (the same Flyway run as {@link Schema#migrate}) stopped after a given number
 * of their DDL statements, as a Ctrl-C or a lost connection at that point stops them. On PostgreSQL and SQLite the
 * transaction then rolls back; on MariaDB the statements run so far stay, with the failed migration's history entry.
 */
public final class InterruptedMigration {
    private InterruptedMigration() {
    }

    /** How many DDL statements init-schema runs on the database of {@code url} (all migrations). */
    public static int statements(String url) {
        return Schema.statements(Dialect.of(url)).size();
    }

    /** Runs init-schema's migrations on {@code url} and stops them after {@code done} statements (0: before the first). */
    public static void stopAfter(String url, int done) {
        Stop stop = new Stop(done);
        try (Database db = Database.open(new Database.Settings(url, null, null, 5_000), true)) {
            Schema.migrate(db, List.of(stop));
        } catch (IspdbException e) {
            if (!stop.stopped) {
                throw e;
            }
        }
        if (!stop.stopped) {
            throw new AssertionError("the migrations have fewer than " + done + " statements");
        }
    }

    /** Throws before statement {@code done + 1}, or after the last one (before its history entry). */
    private static final class Stop implements Callback {
        private final int done;
        private int ran;
        boolean stopped;

        Stop(int done) {
            this.done = done;
        }

        @Override
        public boolean supports(Event event, Context context) {
            return event == Event.BEFORE_EACH_MIGRATE_STATEMENT || event == Event.AFTER_EACH_MIGRATE_STATEMENT;
        }

        @Override
        public boolean canHandleInTransaction(Event event, Context context) {
            return true;
        }

        @Override
        public void handle(Event event, Context context) {
            if (event == Event.AFTER_EACH_MIGRATE_STATEMENT) {
                ran++;
            }
            if (ran == done && !stopped) {
                stopped = true;
                throw new IllegalStateException("stopped after " + done + " statements (a test's interruption)");
            }
        }

        @Override
        public String getCallbackName() {
            return "stop after " + done + " statements";
        }
    }
}
