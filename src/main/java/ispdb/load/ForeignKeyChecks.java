package ispdb.load;

import ispdb.db.SessionSetup;
import ispdb.db.SessionSetup.Setting;
import java.sql.Connection;
import java.sql.SQLException;
import org.apache.ibatis.session.SqlSession;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * SQLite: a load's transaction runs with the connection's per-row foreign-key checks off. The transaction takes the
 * write lock before it reads anything (Database.writeSession), so no other program writes a parent while it runs,
 * and {@link RowChecker} checks every reference against the parents' keys, read inside it: SQLite's own lookup of
 * the parent for every row finds nothing new. The setting can only
 * change outside a transaction, so the write transaction that writeSession began (it has done nothing yet) ends, the
 * setting changes, and the write transaction begins again; after the load's commit or rollback the checks go back
 * on before the connection returns to the pool. Elsewhere nothing happens.
 */
final class ForeignKeyChecks {
    private static final Logger LOG = LogManager.getLogger(ForeignKeyChecks.class);

    private ForeignKeyChecks() {
    }

    /** Turns the checks off for the session's write transaction, which begins again; whether it did. */
    static boolean off(SqlSession session) throws SQLException {
        if (!Setting.FOREIGN_KEYS_OFF.on(SessionSetup.dialect(session))) {
            return false;
        }
        SessionSetup.run(session, Setting.END_DEFERRED_TRANSACTION);
        SessionSetup.run(session, Setting.FOREIGN_KEYS_OFF);
        SessionSetup.run(session, Setting.BEGIN_WRITE_TRANSACTION);
        return true;
    }

    /** After the transaction ended (committed or rolled back): the checks on again, on the same connection. */
    static void on(SqlSession session) {
        try {
            Connection connection = session.getConnection();
            // the driver has begun its next (deferred, empty) transaction already, or a commit that failed left the
            // load's open: a rollback ends either (and the driver begins another), autocommit ends that for the pragma
            connection.rollback();
            connection.setAutoCommit(true);
            SessionSetup.run(session, Setting.FOREIGN_KEYS_ON);
            connection.setAutoCommit(false);
        } catch (SQLException | RuntimeException e) {
            // the load's outcome stands; the command ends with it (a connection is not reused across commands)
            LOG.info("could not turn the foreign-key checks back on: {}", e.getMessage());
        }
    }
}
