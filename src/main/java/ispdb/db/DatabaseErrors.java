package ispdb.db;

import ispdb.IspdbException;
import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** Turns what drivers throw into one sentence for the user, never showing a password. */
final class DatabaseErrors {
    /** "the SQLite database ispdb.sqlite" */
    private final String where;
    private final String url;
    private final String password;
    private final int busyTimeoutMillis;

    DatabaseErrors(String where, String url, String password, int busyTimeoutMillis) {
        this.where = where;
        this.url = url;
        this.password = password;
        this.busyTimeoutMillis = busyTimeoutMillis;
    }

    IspdbException cannotConnect(Throwable e) {
        SQLException sql = sqlCause(e);
        String state = sql == null || sql.getSQLState() == null ? "" : sql.getSQLState();
        String reason;
        if (isSqliteError(e, SQLiteErrorCode.SQLITE_BUSY, SQLiteErrorCode.SQLITE_LOCKED)) {
            reason = busy();
        } else if (isSqliteError(e, SQLiteErrorCode.SQLITE_NOTADB)) {
            reason = "the file is not an SQLite database";
        } else if (isSqliteError(e, SQLiteErrorCode.SQLITE_CANTOPEN)) {
            reason = "the file cannot be opened (check that it exists and that you may read and write it)";
        } else if (permissionDenied(e)) {
            reason = notPermitted(e);
        } else if (wrongHost(e)) {
            reason = "the server's certificate does not name the host of the URL (connect by a name the certificate "
                    + "names, or give the server a certificate for this one)";
        } else if (untrusted(e)) {
            reason = "the server's certificate is not trusted: it is not signed by the CA given (sslrootcert= for "
                    + "PostgreSQL, serverSslCert= for MariaDB) (" + message(e) + ")";
        } else if (state.startsWith("28")) {
            reason = "the server refused the user name or password (give the password with $ISPDB_PASSWORD or --password-file)";
        } else if (state.equals("3D000") || message(e).contains("Unknown database")) {
            reason = "the database does not exist on that server";
        } else {
            reason = message(e);
        }
        return IspdbException.database("cannot connect to " + where + ": " + reason, e);
    }

    IspdbException failed(String action, Throwable e) {
        String reason;
        if (isSqliteError(e, SQLiteErrorCode.SQLITE_BUSY, SQLiteErrorCode.SQLITE_LOCKED)) {
            reason = busy();
        } else if (lockTimeout(e)) {
            // init-schema's DDL gives up after 5 s (so that no reader queues behind it); a row lock after the
            // server's own timeout (MariaDB's innodb_lock_wait_timeout, 50 s by default)
            reason = "another session holds a lock that this change needs (a long query, a load, or a transaction "
                    + "left open) and did not let go within the lock timeout (5 s for a schema change, so that no "
                    + "reader queues behind it; the server's own for rows), or a Galera node was still applying the "
                    + "cluster's recent writes at its causal-read timeout; run it again when that session has ended "
                    + "(or the node has caught up)";
        } else if (permissionDenied(e)) {
            reason = notPermitted(e);
        } else if (isSqliteError(e, SQLiteErrorCode.SQLITE_READONLY)) {
            reason = "the database file, or its folder, is read-only";
        } else if (isSqliteError(e, SQLiteErrorCode.SQLITE_FULL)) {
            reason = "the disk (or the database's size limit) is full";
        } else if (isSqliteError(e, SQLiteErrorCode.SQLITE_IOERR)) {
            reason = "reading or writing the file failed (" + message(e) + ")";
        } else {
            reason = message(e);
        }
        return IspdbException.database("could not " + action + " in " + where + ": " + reason, e);
    }

    /** PostgreSQL's lock_not_available (lock_timeout), MariaDB's error 1205 (lock_wait_timeout). */
    static boolean lockTimeout(Throwable e) {
        for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof SQLException s && ("55P03".equals(s.getSQLState()) || s.getErrorCode() == 1205)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The server refused the user a privilege: PostgreSQL's insufficient_privilege (42501), MariaDB's errors 1142
     * (a table), 1143 (a column) and 1044 (a database); 1045 is a refused password, worded as such on connecting.
     */
    static boolean permissionDenied(Throwable e) {
        for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof SQLException s && ("42501".equals(s.getSQLState()) || s.getErrorCode() == 1142
                    || s.getErrorCode() == 1143 || s.getErrorCode() == 1044)) {
                return true;
            }
        }
        return false;
    }

    /** TLS with the host name verified (verify-full): the certificate is for another host. */
    private static boolean wrongHost(Throwable e) {
        for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage();
            // pgjdbc: "The hostname localhost could not be verified by hostnameverifier ..."; MariaDB Connector/J:
            // "SSL hostname verification failed : DNS host ... doesn't correspond to certificate ..."
            if (m.contains("could not be verified by hostnameverifier") || m.contains("hostname verification failed")
                    || t instanceof javax.net.ssl.SSLPeerUnverifiedException) {
                return true;
            }
        }
        return false;
    }

    /** TLS with the certificate verified: it is not signed by a CA the URL names. */
    private static boolean untrusted(Throwable e) {
        for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof java.security.cert.CertificateException || t instanceof javax.net.ssl.SSLHandshakeException
                    || t instanceof java.security.cert.CertPathValidatorException) {
                return true;
            }
        }
        return false;
    }

    /** The server's own words name the privilege (MariaDB) or the table (PostgreSQL). */
    private String notPermitted(Throwable e) {
        String m = message(e).replaceFirst("^\\(conn=\\d+\\) ", "").replaceFirst("^ERROR: ", "");
        return "the database user lacks a privilege this needs (" + m + "): a reader may only read, a loader may "
                + "also add and change rows, and only the schema's owner may change the schema (see 'ispdb grant')";
    }

    private String busy() {
        // SQLite in WAL mode: readers never wait for a writer, so this is another writer (a load that is still
        // running, most likely) or a program that took the database exclusively
        return "another program is writing to the database (a load, perhaps, which holds it until it commits) and "
                + "did not let go within " + busyTimeoutMillis
                + " ms (try again later, or wait longer with --busy-timeout MILLISECONDS)";
    }

    /** The first line of the deepest driver message, without passwords. */
    private String message(Throwable e) {
        Throwable deepest = sqlCause(e);
        if (deepest == null) {
            deepest = e;
            while (deepest.getCause() != null && deepest.getCause() != deepest) {
                deepest = deepest.getCause();
            }
        }
        String m = deepest.getMessage() == null ? deepest.getClass().getSimpleName() : deepest.getMessage().strip();
        int nl = m.indexOf('\n');
        if (nl > 0) {
            m = m.substring(0, nl);
        }
        return Urls.scrub(m, password, url);
    }

    /** The SQLException under a MyBatis or pool exception, if any. */
    static SQLException sqlCause(Throwable e) {
        SQLException found = null;
        for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof SQLException s) {
                found = s;
            }
        }
        return found;
    }

    static boolean isSqliteError(Throwable e, SQLiteErrorCode... codes) {
        for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof SQLiteException s) {
                for (SQLiteErrorCode code : codes) {
                    if (s.getResultCode() == code || s.getResultCode().code % 256 == code.code) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
