package ispdb.db;

import ispdb.IspdbException;
import java.util.Locale;
import java.util.Map;

/**
 * The kinds of database ispdb runs on, told apart by the JDBC URL. The id is MyBatis' databaseId (which picks
 * per-database SQL in the mappers) and the folder of that database's migrations.
 */
public enum Dialect {
    SQLITE("sqlite", "SQLite"),
    POSTGRESQL("postgresql", "PostgreSQL"),
    MYSQL("mysql", "MariaDB/MySQL");

    private final String id;
    private final String displayName;

    Dialect(String id, String displayName) {
        this.id = id;
        this.displayName = displayName;
    }

    /**
     * SQLite: the connection's page cache, in KiB: 64 MiB (instead of 2 MiB) keeps the parent keys of a large load in
     * memory. Set on every new connection, and given to the mappers as the variable {@code sqlitePageCacheKiB}
     * (SessionMapper.xml sets it back after a load or a scan that changed it).
     */
    public static final int SQLITE_PAGE_CACHE_KIB = 65536;

    /** The dialect of a MyBatis databaseId ({@link #id}). */
    public static Dialect ofId(String id) {
        for (Dialect d : values()) {
            if (d.id.equals(id)) {
                return d;
            }
        }
        throw new IllegalArgumentException("no dialect " + id);
    }

    public String id() {
        return id;
    }

    public String displayName() {
        return displayName;
    }

    /** Where this database's Flyway migrations are on the class path. */
    public String migrations() {
        return "db/migration/" + id;
    }

    public static Dialect of(String url) {
        return of(url, "--url " + Urls.redact(url));
    }

    /**
     * The dialect of {@code url}, which {@code described} names for a message (--url X, $ISPDB_URL=X, ...); refuses
     * (exit code 2) a URL ispdb does not take, saying why ({@link JdbcUrl#problem()}).
     */
    public static Dialect of(String url, String described) {
        JdbcUrl parsed = JdbcUrl.parse(url);
        if (parsed.problem() != null) {
            throw IspdbException.usage(described + " " + parsed.problem());
        }
        return parsed.dialect();
    }

    /**
     * The URL handed to the driver, its scheme in lower case (pgjdbc and MariaDB Connector/J take no other).
     * MariaDB Connector/J serves jdbc:mysql: URLs only when told to, and is the only MySQL driver ispdb ships, so
     * those URLs are passed on as jdbc:mariadb:.
     */
    public String driverUrl(String url) {
        String u = url.strip();
        if (this == MYSQL && u.regionMatches(true, 0, "jdbc:mysql:", 0, 11)) {
            return "jdbc:mariadb:" + u.substring(11);
        }
        int scheme = u.indexOf(':', 5) + 1;
        return u.substring(0, scheme).toLowerCase(Locale.ROOT) + u.substring(scheme);
    }

    /** Driver settings for a short-lived command-line tool, on every new connection. */
    public Map<String, String> connectionProperties(int busyTimeoutMillis, boolean create) {
        return switch (this) {
            // pragmas are per connection; foreign_keys is ignored inside a transaction, so it is set here.
            // open_mode 2 is read-write without create, 6 adds create (only init-schema makes a new file)
            case SQLITE -> Map.of("foreign_keys", "true", "busy_timeout", Integer.toString(busyTimeoutMillis),
                    "open_mode", create ? "6" : "2", "cache_size", "-" + SQLITE_PAGE_CACHE_KIB);
            // seconds
            case POSTGRESQL -> Map.of("connectTimeout", "5", "loginTimeout", "5", "ApplicationName", "ispdb");
            // milliseconds; batches go as one bulk command (COM_STMT_BULK_EXECUTE)
            case MYSQL -> Map.of("connectTimeout", "5000", "useBulkStmts", "true");
        };
    }
}
