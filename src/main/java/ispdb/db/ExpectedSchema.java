package ispdb.db;

import ispdb.IspdbException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;

/**
 * The catalog of the migrated schema, as this kind of database describes it: the migrations (the very files
 * init-schema runs) are run on a scratch database and its catalog read, so that check compares with what a fresh
 * init-schema makes and never with a second copy of the DDL. The checked database itself is not written:
 *
 * <ul>
 *   <li>SQLite: an in-memory database of its own;
 *   <li>PostgreSQL: the session's temporary schema, in a transaction that is rolled back (nothing of it remains);
 *   <li>MariaDB: DDL cannot be rolled back there, so a scratch database {@code ispdb_check_PID_N} beside the
 *       checked one, dropped at once (the user needs the CREATE and DROP privileges for it). On a sharded head
 *       ({@link Shards}) its tables are changed as init-schema --shards changes the head's (no foreign keys, primary
 *       keys with customer_id), the engine left as it is: {@link Shards#layoutFindings} checks that.
 * </ul>
 */
final class ExpectedSchema {
    private ExpectedSchema() {
    }

    static List<CatalogItem> of(Database db) {
        return of(db, null);
    }

    /**
     * As {@link #of(Database)}; on a sharded head it also gives {@code backends} (if not null) the catalog of the
     * migrated schema as it is, which each backend has: read in the same scratch database before it is changed as
     * the head's.
     */
    static List<CatalogItem> of(Database db, java.util.function.Consumer<List<CatalogItem>> backends) {
        List<String> statements = Schema.statements(db.dialect());
        try {
            return switch (db.dialect()) {
                case SQLITE -> sqlite(db, statements);
                case POSTGRESQL -> postgresql(db, statements);
                case MYSQL -> mariadb(db, statements, backends);
            };
        } catch (SQLException | RuntimeException e) {
            if (e instanceof IspdbException i) {
                throw i;
            }
            throw db.failure("build the migrated schema to compare with (check makes it in "
                    + (db.dialect() == Dialect.MYSQL ? "a scratch database, which needs the CREATE and DROP privileges"
                            : "a temporary schema") + ")", e);
        }
    }

    private static List<CatalogItem> sqlite(Database db, List<String> statements) throws SQLException {
        Connection scratch = DriverManager.getConnection("jdbc:sqlite::memory:");
        try (SqlSession session = db.session(scratch)) {
            run(scratch, statements);
            return session.getMapper(CheckMapper.class).catalog(null);
        } finally {
            scratch.close();
        }
    }

    private static List<CatalogItem> postgresql(Database db, List<String> statements) throws SQLException {
        try (SqlSession session = db.session(ExecutorType.SIMPLE)) {
            CheckMapper mapper = session.getMapper(CheckMapper.class);
            try {
                mapper.useTemporarySchema();
                run(session.getConnection(), statements);
                return mapper.catalog("temporary");
            } finally {
                session.rollback(true);
            }
        }
    }

    private static List<CatalogItem> mariadb(Database db, List<String> statements,
            java.util.function.Consumer<List<CatalogItem>> backends) throws SQLException {
        String name = "ispdb_check_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
        if (!name.matches("ispdb_check_[0-9]+_[0-9]+")) {
            throw new IllegalStateException(name);
        }
        boolean sharded = Shards.layout(db).sharded();
        try (SqlSession session = db.session(ExecutorType.SIMPLE)) {
            CheckMapper mapper = session.getMapper(CheckMapper.class);
            mapper.createScratchDatabase(name);
            try {
                Connection c = session.getConnection();
                String before = c.getCatalog();
                c.setCatalog(name);
                try {
                    run(c, statements);
                    if (sharded) {
                        if (backends != null) {
                            backends.accept(mapper.catalog(name));
                        }
                        // a sharded head's tables: the same change init-schema --shards makes, but the engine
                        Shards.convert(session.getMapper(ShardMapper.class), null, null);
                    }
                } finally {
                    c.setCatalog(before);
                }
                return mapper.catalog(name);
            } finally {
                mapper.dropScratchDatabase(name);
            }
        }
    }

    /** The migration's statements, as they are (no SQL of ispdb's own). */
    private static void run(Connection c, List<String> statements) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }
}
