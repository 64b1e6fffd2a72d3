package ispdb.load;

import ispdb.Interruption;
import ispdb.IspdbException;
import ispdb.db.Database;
import ispdb.db.Dialect;
import ispdb.db.Schema;
import ispdb.db.SchemaMapper;
import ispdb.db.SessionSetup;
import ispdb.db.Shards;
import ispdb.db.TableRows;
import ispdb.db.Urls;
import ispdb.model.Finding;
import ispdb.model.Table;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;

/**
 * copy: every table of one ispdb database into another, through the load pipeline ({@link DatabaseRows} as the
 * source, the same {@link RowChecker} and {@link RowSink}), in one transaction on the target. The source is read
 * in one read-only snapshot (SQLite: one read transaction, which in WAL mode blocks no writer; PostgreSQL and
 * MariaDB: REPEATABLE READ), so the tables agree with each other even while others write to the source.
 */
public final class DatabaseCopy {
    private DatabaseCopy() {
    }

    /**
     * Readies the target: an empty database gets the schema (init-schema's migrations; on MariaDB DDL commits by
     * itself, so this comes before the copy's transaction); otherwise it must have the ispdb schema and no row
     * in any of the four tables (an older version, or one an interrupted copy left unfinished, is brought up to
     * date, as init-schema would). A sharded head must have its sharded schema already, whole and current
     * ({@link #requireShardedSchema}).
     *
     * @return whether the schema was created here (the copy is then the new database's first and only user)
     */
    public static boolean prepareTarget(Database to) {
        Schema.Status status = Schema.status(to);
        requireShardedSchema(to, status);
        if (status.version() == null) {
            // refuses tables ispdb did not create; finishes a schema an interrupted copy began; a signal during the
            // migrations waits for them
            Interruption.commitPart("the schema was created in " + to.describe() + ", and no row was copied (copy "
                    + "again to the same target)", () -> Schema.migrate(to));
            return true;
        }
        if (status.version() >= Schema.VERSION) {
            to.requireSchema(); // refuses a newer version
        }
        List<String> filled = new ArrayList<>();
        for (Map.Entry<String, Long> e : status.rowCounts().entrySet()) {
            if (e.getValue() > 0) {
                filled.add(e.getKey() + " (" + e.getValue() + ")");
            }
        }
        if (!filled.isEmpty()) {
            throw IspdbException.usage(to.describe() + " already has rows in " + String.join(", ", filled)
                    + ": copy into an empty database (or one ispdb has just created), or add rows to this one with "
                    + "'ispdb export' and 'ispdb load-csv --mode upsert'; nothing was copied");
        }
        if (status.version() < Schema.VERSION) {
            Schema.migrate(to); // an older schema without rows (a copy interrupted while upgrading it): finished
            return true;
        }
        return false;
    }

    /**
     * A target with Spider tables is a sharded head (docs/sharding.md): copy fills it only when init-schema --shards
     * has made its sharded schema, whole and at this version; the rows then go through the head to their backends,
     * in the one transaction (XA across the backends). copy cannot make, finish or upgrade that schema itself (it
     * does not know the backends), and an ordinary migration on the head alone would leave the backends behind.
     * An empty database is an ordinary target whatever engines its server has (Debian's mariadb-plugin-spider loads
     * Spider into every server on the machine): copy gives it the schema of one server.
     */
    private static void requireShardedSchema(Database to, Schema.Status status) {
        Shards.Layout layout = Shards.layout(to);
        if (!layout.spider()) {
            return;
        }
        String problem = null;
        if (status.version() == null) {
            problem = " is a Spider head with tables ispdb did not make (Spider tables, no schema history): make the"
                    + " sharded schema in a new database with 'ispdb init-schema --shards HOST:PORT,...' and copy into"
                    + " that";
        } else if (status.version() < Schema.VERSION) {
            problem = " is a sharded head at schema version " + status.version() + " and this ispdb needs "
                    + Schema.VERSION + ": upgrade it with 'ispdb init-schema --shards HOST:PORT,...' (its backends),"
                    + " then copy again";
        } else {
            List<String> unfinished = new ArrayList<>();
            for (Finding f : Shards.layoutFindings(to)) {
                unfinished.add(f.tableName());
            }
            if (!layout.sharded() || !unfinished.isEmpty()) {
                problem = " is a sharded head whose layout is unfinished (" + (unfinished.isEmpty()
                        ? "no table is partitioned over backends" : String.join(", ", unfinished) + ": see 'ispdb "
                        + "check'") + "): finish it with 'ispdb init-schema --shards HOST:PORT,...' (its backends),"
                        + " then copy again";
            }
        }
        if (problem != null) {
            throw IspdbException.database(to.describe() + problem + "; nothing was copied", null);
        }
    }

    /**
     * Copies every table, parents first, all or nothing; the target must be ready ({@link #prepareTarget}).
     *
     * @param source how the target's journal names the source: its URL (redacted here)
     * @param newDatabase whether {@link #prepareTarget} created the target's schema (on PostgreSQL the large tables
     *     are then loaded without their secondary indexes, which are built at the end, in the same transaction)
     */
    public static LoadResult copy(Database from, String source, Database to, LoadProgress progress,
            boolean newDatabase) {
        from.useMappers(TableRows.MAPPERS.toArray(Class<?>[]::new));
        LoadOptions options = LoadOptions.of("copy").progress(progress).newDatabase(newDatabase).build();
        try (SqlSession read = from.session(ExecutorType.SIMPLE)) {
            List<RowSource> sources = new ArrayList<>();
            try {
                if (from.dialect() != Dialect.SQLITE) {
                    Connection c = read.getConnection();
                    c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                }
                SchemaMapper schema = read.getMapper(SchemaMapper.class);
                SessionSetup.run(read, SessionSetup.Setting.BEFORE_SCAN);
                String name = Urls.redact(source);
                for (Table t : Table.values()) {
                    sources.add(new DatabaseRows(read, t, name, schema.countRows(t.tableName())));
                }
            } catch (RuntimeException | SQLException e) {
                throw from.failure("read the tables", e);
            }
            try {
                return Loader.loadRows(to, sources, options);
            } catch (IspdbException e) {
                throw e;
            } catch (RuntimeException e) {
                throw from.failure("read the tables", e);
            } finally {
                read.rollback(true);
                SessionSetup.run(read, SessionSetup.Setting.AFTER_SCAN);
            }
        }
    }
}
