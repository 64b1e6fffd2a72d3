package ispdb.load;

import static ispdb.db.Dialect.POSTGRESQL;
import static ispdb.db.Dialect.SQLITE;

import ispdb.db.Dialect;
import ispdb.db.SchemaMapper;
import ispdb.db.SecondaryIndex;
import ispdb.db.SessionSetup;
import ispdb.db.SessionSetup.Setting;
import ispdb.model.Table;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.ibatis.session.SqlSession;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * What {@link #before} did to ready a table for a bulk load (a large load into a small table, see Loader): the
 * secondary indexes it dropped (to be built again from these catalog definitions), and whether the table's per-row
 * key checks are off (PostgreSQL, MariaDB; on SQLite its page cache is smaller meanwhile).
 */
record BulkLoad(Table table, List<SecondaryIndex> indexes, boolean keyChecksOff) {
    private static final Logger LOG = LogManager.getLogger(BulkLoad.class);
    /** The databases whose bulk load may drop a table's secondary indexes and build them once at the end. */
    private static final Set<Dialect> REBUILDS_INDEXES = EnumSet.of(SQLITE, POSTGRESQL);

    /**
     * Readies a table for a bulk load: drops its secondary indexes where the database builds them again at the end
     * (their definitions read from the catalog first; on PostgreSQL only into a database the command has just
     * created, {@code newDatabase}, since a drop locks out readers there), and turns the table's per-row key checks
     * off where the database has such settings. Where those are refused (PostgreSQL: a lock not granted at once, or
     * a setting the user may not make), they are undone and the load goes on with the checks on.
     */
    static BulkLoad before(SqlSession session, Table table, boolean newDatabase) throws SQLException {
        List<SecondaryIndex> indexes = List.of();
        Dialect dialect = SessionSetup.dialect(session);
        boolean locksReaders = Setting.BEFORE_INDEX_DROP.on(dialect);
        if (REBUILDS_INDEXES.contains(dialect) && (!locksReaders || newDatabase)) {
            indexes = session.getMapper(SchemaMapper.class).secondaryIndexes(table.tableName());
            if (!indexes.isEmpty()) {
                SessionSetup.run(session, Setting.BEFORE_INDEX_DROP);
            }
            // the statements are the catalog's own text (sqlite_master, pg_get_indexdef), not built here from input
            try (Statement s = session.getConnection().createStatement()) {
                for (SecondaryIndex index : indexes) {
                    s.execute(index.dropStatement());
                }
            } catch (SQLException refused) {
                if (!locksReaders) {
                    throw refused;
                }
                SessionSetup.run(session, Setting.INDEX_DROP_REFUSED);
                LOG.info("bulk load into {}: its indexes stay ({})", table.tableName(), refused.getMessage());
                indexes = List.of();
            }
            if (!indexes.isEmpty()) {
                SessionSetup.run(session, Setting.AFTER_INDEX_DROP);
            }
        }
        boolean keyChecksOff = SessionSetup.bulkLoadSettings(session, table);
        if (keyChecksOff) {
            try {
                SessionSetup.run(session, Setting.BEFORE_BULK_LOAD, table);
            } catch (RuntimeException refused) {
                if (!SessionSetup.run(session, Setting.BULK_LOAD_REFUSED, table)) {
                    throw refused;
                }
                keyChecksOff = false;
                LOG.info("bulk load into {}: the per-row key checks stay on ({})", table.tableName(),
                        refused.getCause() == null ? refused.getMessage() : refused.getCause().getMessage());
            }
        }
        LOG.info("bulk load into {}: {} secondary indexes dropped, to be built again at the end from the catalog; "
                + "per-row key checks {}", table.tableName(), indexes.size(), keyChecksOff ? "off" : "on");
        return new BulkLoad(table, indexes, keyChecksOff);
    }

    /** Builds again, in the same transaction, what {@link #before} dropped, and undoes its settings. */
    void after(SqlSession session) throws SQLException {
        try (Statement s = session.getConnection().createStatement()) {
            for (SecondaryIndex index : indexes) {
                s.execute(index.createStatement());
            }
        }
        if (keyChecksOff) {
            SessionSetup.run(session, Setting.AFTER_BULK_LOAD, table);
        }
    }
}
