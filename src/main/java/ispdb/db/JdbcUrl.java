package ispdb.db;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.sqlite.SQLiteConfig;

/**
 * A JDBC URL read the way the driver that takes it reads it: the one parser of URLs in ispdb. It says which
 * database it names (for SQLite the file the driver opens), where the secrets are written in it (so that
 * {@link #masked()} can hide their values and keep the rest), and what about it ispdb refuses, and why
 * ({@link #problem()}): a URL the driver would reject after quoting it, password and all, in a message or a
 * warning; an SQLite database in memory, which would vanish when ispdb ends.
 *
 * <p>The forms, as the drivers ispdb ships read them (pgjdbc's {@code Driver.parseURL}, MariaDB Connector/J's
 * {@code Configuration.parse} and {@code HostAddress.parse}, sqlite-jdbc's {@code JDBC} and
 * {@code SQLiteConnection.extractPragmasFromFilename}):
 * <ul>
 * <li>{@code jdbc:postgresql://HOST[:PORT][,HOST[:PORT]...]/DB[?KEY=VALUE&...]} (values %-encoded),
 *     {@code jdbc:postgresql:DB}, {@code jdbc:postgresql://[:PORT]/};
 * <li>{@code jdbc:mariadb:[MODE:]//HOST[:PORT][,...]/DB[?KEY=VALUE&...]} (values as written), MODE one of
 *     sequential, loadbalance (failover), load-balance-read, replication; a host may be written
 *     {@code address=(host=H)(port=P)(type=primary)}; {@code jdbc:mysql:} alike;
 * <li>{@code jdbc:sqlite:FILE[?KEY=VALUE&...]}: the keys that are pragmas of sqlite-jdbc are settings, any other
 *     part after the {@code ?} stays in the file name; {@code jdbc:sqlite:file:PATH[?...][#...]} is an SQLite URI.
 * </ul>
 * A secret is the value of a key named password or ending in password (password, sslpassword,
 * trustStorePassword, keyStorePassword ...), in the options or inside {@code address=(...)}, and the PASSWORD of
 * {@code //USER:PASSWORD@HOST}, which neither server driver takes.
 */
public final class JdbcUrl {
    private static final String SQLITE = "jdbc:sqlite:";
    private static final String POSTGRESQL = "jdbc:postgresql:";
    private static final String MARIADB = "jdbc:mariadb:";
    private static final String MYSQL = "jdbc:mysql:";
    private static final Set<String> HA_MODES = Set.of("sequential", "loadbalance", "load-balance", "load_balance",
            "failover", "load-balance-read", "load_balance_read", "replication");
    private static final String GIVE_CREDENTIALS = "give the user with --user (or ?user=NAME) and the password with "
            + "$ISPDB_PASSWORD or --password-file";
    private static final String GIVE_A_FILE = "give the database file, jdbc:sqlite:FILE";

    /** One secret: where its value is written in the URL, and the value the driver uses (%-decoded on PostgreSQL). */
    private record Secret(int start, int end, String used) {
    }

    private final String text;
    private final Dialect dialect;
    private final List<Secret> secrets = new ArrayList<>();
    private String problem;
    private String sqliteFile;

    private JdbcUrl(String text, Dialect dialect) {
        this.text = text;
        this.dialect = dialect;
    }

    /** Reads {@code url}; never fails (see {@link #problem()} and {@link #dialect()}). */
    public static JdbcUrl parse(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        JdbcUrl u;
        if (lower.startsWith(SQLITE)) {
            u = new JdbcUrl(url, Dialect.SQLITE);
            u.parseSqlite();
        } else if (lower.startsWith(POSTGRESQL)) {
            u = new JdbcUrl(url, Dialect.POSTGRESQL);
            u.parsePostgresql();
        } else if (lower.startsWith(MARIADB) || lower.startsWith(MYSQL)) {
            u = new JdbcUrl(url, Dialect.MYSQL);
            u.parseMariadb(lower.startsWith(MARIADB) ? MARIADB.length() : MYSQL.length());
        } else {
            u = new JdbcUrl(url, null);
            u.problem = "is not a database ispdb knows: use jdbc:sqlite:FILE, jdbc:postgresql://HOST/DB or "
                    + "jdbc:mariadb://HOST/DB";
            // another driver's URL (Oracle, SQL Server): its options are still masked
            u.options(0, url.length(), ";&?", false);
        }
        return u;
    }

    /** The database it names, or null if ispdb knows none of that kind. */
    public Dialect dialect() {
        return dialect;
    }

    /** Why ispdb refuses this URL (a phrase following the URL as the user gave it), or null if it does not. */
    public String problem() {
        return problem;
    }

    /** The URL with the value of every secret written in it replaced by {@code ***}, everything else as it is. */
    public String masked() {
        List<Secret> inOrder = new ArrayList<>(secrets);
        inOrder.sort((a, b) -> a.start() - b.start());
        StringBuilder s = new StringBuilder();
        int at = 0;
        for (Secret secret : inOrder) {
            if (secret.start() >= at) {
                s.append(text, at, secret.start()).append("***");
                at = secret.end();
            }
        }
        return s.append(text, at, text.length()).toString();
    }

    /** The secrets written in the URL: each as written and as the driver uses it (%-decoded), longest first. */
    public List<String> secrets() {
        Set<String> found = new HashSet<>();
        for (Secret secret : secrets) {
            found.add(text.substring(secret.start(), secret.end()));
            found.add(secret.used());
        }
        found.remove("");
        List<String> sorted = new ArrayList<>(found);
        sorted.sort(java.util.Comparator.comparingInt(String::length).reversed()
                .thenComparing(java.util.Comparator.naturalOrder()));
        return sorted;
    }

    /**
     * The SQLite file a URL names, or null (a server, an in-memory database, or not a URL ispdb knows). Here rather
     * than in {@link Database}, whose logger would start Log4j2 before the command has set up logging.
     */
    public static Path fileOf(String url) {
        return url != null && url.startsWith(SQLITE) ? parse(url).sqliteFile() : null;
    }

    /** The file the SQLite driver opens, as written (a relative one is relative to the working folder). */
    public Path sqliteFile() {
        return sqliteFile == null ? null : Path.of(sqliteFile);
    }

    /**
     * This URL with a relative SQLite file made relative to {@code folder} instead of the working folder (for a
     * settings file: its paths are relative to its own folder); any other URL as it is.
     */
    public String resolvedAgainst(Path folder) {
        if (dialect != Dialect.SQLITE || problem != null || sqliteFile == null || Path.of(sqliteFile).isAbsolute()) {
            return text;
        }
        String body = text.strip().substring(SQLITE.length());
        String prefix = text.strip().substring(0, SQLITE.length());
        if (body.regionMatches(true, 0, "file:", 0, 5)) {
            // an SQLite URI: the folder goes in %-encoded where it has characters a URI gives a meaning to
            String abs = folder.toAbsolutePath().toString().replace("%", "%25").replace("?", "%3f").replace("#", "%23");
            return prefix + "file:" + abs + "/" + body.substring(5);
        }
        return prefix + folder.toAbsolutePath() + "/" + body;
    }

    // --- SQLite

    private void parseSqlite() {
        // the driver trims the URL, and takes an empty one as a database in memory
        String url = text.strip();
        int base = text.indexOf(url);
        String address = url.substring(SQLITE.length());
        int offset = base + SQLITE.length();
        // sqlite-jdbc: after the first ?, the parts that are its pragmas are settings; the others stay in the file
        // name, in reverse order (it walks them from the last, so that the last of a repeated pragma wins)
        String file = address;
        int question = address.indexOf('?');
        if (question >= 0) {
            options(offset + question + 1, offset + address.length(), "&", false);
            Set<String> pragmas = pragmas();
            StringBuilder kept = new StringBuilder(address.substring(0, question));
            String[] parts = address.substring(question + 1).split("&");
            int others = 0;
            for (int i = parts.length - 1; i >= 0; i--) {
                String part = parts[i].trim();
                if (part.isEmpty()) {
                    continue;
                }
                String key = part.split("=")[0].trim().toLowerCase(Locale.ROOT);
                if (!pragmas.contains(key)) {
                    kept.append(others++ == 0 ? '?' : '&').append(part);
                }
            }
            file = kept.toString();
        }
        if (file.isEmpty()) {
            problem = "names no database file (an empty path, an unset shell variable perhaps, is a database in memory "
                    + "that vanishes when ispdb ends): " + GIVE_A_FILE;
        } else if (file.startsWith(":memory:") || file.contains("mode=memory")) {
            problem = "is a database in memory, which vanishes when ispdb ends: " + GIVE_A_FILE;
        } else if (file.startsWith(":resource:")) {
            problem = "is a resource on the class path, not a database file: " + GIVE_A_FILE;
        } else if (file.regionMatches(true, 0, "file:", 0, 5)) {
            sqliteUri(file.substring(5));
        } else {
            sqliteFile = file;
        }
    }

    /** sqlite-jdbc's pragma names (SQLiteConfig.pragmaSet, which is not public, is made of them). */
    private static Set<String> pragmas() {
        Set<String> names = new HashSet<>();
        for (SQLiteConfig.Pragma p : SQLiteConfig.Pragma.values()) {
            names.add(p.pragmaName);
        }
        return names;
    }

    /** An SQLite URI filename (after file:): [//[localhost]]PATH[?query][#fragment], PATH %-decoded. */
    private void sqliteUri(String uri) {
        String path = uri;
        int end = indexOfAny(path, "?#");
        String query = end >= 0 && path.charAt(end) == '?' ? path.substring(end + 1) : "";
        if (end >= 0) {
            path = path.substring(0, end);
        }
        if (path.startsWith("//")) {
            int slash = path.indexOf('/', 2);
            String authority = slash < 0 ? path.substring(2) : path.substring(2, slash);
            if (!authority.isEmpty() && !authority.equalsIgnoreCase("localhost")) {
                problem = "names the host " + authority + " in its file: URI: SQLite opens local files only: "
                        + GIVE_A_FILE;
                return;
            }
            path = slash < 0 ? "" : path.substring(slash);
        }
        for (String part : query.split("&")) {
            String p = part.toLowerCase(Locale.ROOT);
            if (p.equals("vfs=memdb") || p.equals("mode=memory")) {
                problem = "is a database in memory, which vanishes when ispdb ends: " + GIVE_A_FILE;
                return;
            }
        }
        String decoded;
        try {
            decoded = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            decoded = path;
        }
        if (decoded.equals(":memory:")) {
            problem = "is a database in memory, which vanishes when ispdb ends: " + GIVE_A_FILE;
        } else if (decoded.isEmpty()) {
            problem = "names no database file: " + GIVE_A_FILE;
        } else {
            sqliteFile = decoded;
        }
    }

    // --- PostgreSQL

    private void parsePostgresql() {
        int start = POSTGRESQL.length();
        int question = text.indexOf('?', start);
        int serverEnd = question < 0 ? text.length() : question;
        if (question >= 0) {
            options(question + 1, text.length(), "&", true);
        }
        String server = text.substring(start, serverEnd);
        if (server.equals("//") || server.equals("///") || !server.startsWith("/")) {
            return;
        }
        if (!server.startsWith("//")) {
            problem = "needs // before the host: jdbc:postgresql://HOST[:PORT]/DB";
            return;
        }
        int hostsStart = start + 2;
        int slash = text.indexOf('/', hostsStart);
        int hostsEnd = slash < 0 || slash > serverEnd ? serverEnd : slash;
        if (userInfo(hostsStart, hostsEnd, "the PostgreSQL driver")) {
            return;
        }
        if (slash < 0 || slash > serverEnd) {
            problem = "needs a / after the host (and port): jdbc:postgresql://HOST[:PORT]/DB";
            return;
        }
        if (text.indexOf('/', slash + 1) >= 0 && text.indexOf('/', slash + 1) < serverEnd) {
            problem = "has more than one / after the host: jdbc:postgresql://HOST[:PORT][,HOST[:PORT]...]/DB";
            return;
        }
        for (String address : text.substring(hostsStart, hostsEnd).split(",", -1)) {
            int colon = address.lastIndexOf(':');
            if (colon >= 0 && address.lastIndexOf(']') < colon) {
                checkPort(address.substring(colon + 1));
            }
        }
    }

    // --- MariaDB / MySQL

    private void parseMariadb(int afterScheme) {
        int separator = text.indexOf("//", afterScheme);
        int question = text.indexOf('?', afterScheme);
        if (question >= 0) {
            options(question + 1, text.length(), "&", false);
        }
        if (separator < 0 || (question >= 0 && question < separator)) {
            problem = "needs // before the host: jdbc:mariadb://HOST[:PORT]/DB";
            return;
        }
        String mode = text.substring(afterScheme, separator);
        if (mode.endsWith(":")) {
            mode = mode.substring(0, mode.length() - 1);
        }
        if (!mode.isEmpty() && !HA_MODES.contains(mode.toLowerCase(Locale.ROOT))) {
            problem = "has '" + mode + "' where a MariaDB connection mode may be (sequential, loadbalance, "
                    + "load-balance-read, replication): jdbc:mariadb:[MODE:]//HOST[:PORT]/DB";
            return;
        }
        int hostsStart = separator + 2;
        // as the driver: the hosts end at the first / after the last address=(...)(...), or at the ?
        int skip = hostsStart;
        int at;
        while ((at = text.indexOf("address=(", skip)) >= 0 && (question < 0 || at < question)) {
            int close = text.indexOf(')', at);
            skip = close < 0 ? text.length() : close + 1;
            while (text.startsWith("(", skip)) {
                int next = text.indexOf(')', skip);
                if (next < 0) {
                    break;
                }
                skip = next + 1;
            }
        }
        int slash = text.indexOf('/', skip);
        int hostsEnd = slash < 0 ? (question < 0 ? text.length() : question)
                : question >= 0 && question < slash ? question : slash;
        if (userInfo(hostsStart, hostsEnd, "the MariaDB driver")) {
            return;
        }
        int from = hostsStart;
        for (String address : text.substring(hostsStart, hostsEnd).split(",", -1)) {
            if (address.strip().startsWith("address=")) {
                addressGroups(from, from + address.length());
            } else if (!address.startsWith("[") && address.contains(":")) {
                String[] hostPort = address.split(":");
                checkPort(hostPort.length > 1 ? hostPort[1] : "");
            }
            from += address.length() + 1;
        }
    }

    /** MariaDB's address=(key=value)(key=value)...: the secrets in it, and the keys the driver ignores. */
    private void addressGroups(int start, int end) {
        int open;
        int from = start;
        while ((open = text.indexOf('(', from)) >= 0 && open < end) {
            int close = text.indexOf(')', open);
            if (close < 0 || close > end) {
                close = end;
            }
            int equals = text.indexOf('=', open);
            if (equals > open && equals < close) {
                String key = text.substring(open + 1, equals).strip().toLowerCase(Locale.ROOT);
                if (isSecretKey(key)) {
                    secrets.add(new Secret(equals + 1, close, text.substring(equals + 1, close)));
                }
                if ((key.equals("user") || isSecretKey(key)) && problem == null) {
                    problem = "has a " + (key.equals("user") ? "user" : "password") + " inside address=(...), "
                            + "which the MariaDB driver ignores: " + GIVE_CREDENTIALS;
                }
            }
            from = close + 1;
        }
    }

    // --- shared

    /**
     * USER:PASSWORD@ before the hosts, which neither PostgreSQL's nor MariaDB's driver takes: the password is a
     * secret all the same (it runs to the last @ of the hosts: an unencoded @ in it is common).
     */
    private boolean userInfo(int hostsStart, int hostsEnd, String driver) {
        int at = text.lastIndexOf('@', hostsEnd - 1);
        int colon = text.indexOf(':', hostsStart);
        if (at < hostsStart) {
            // a password with a / in it ends the hosts early, after USER:PA (which is no port): look up to the
            // options
            int question = text.indexOf('?', hostsStart);
            int limit = question < 0 ? text.length() : question;
            at = text.lastIndexOf('@', limit - 1);
            if (at < hostsStart || colon < 0 || colon > hostsEnd || isPort(text.substring(colon + 1, hostsEnd))
                    || text.indexOf("address=(", hostsStart) >= 0) {
                return false;
            }
        }
        if (colon >= 0 && colon < at) {
            secrets.add(new Secret(colon + 1, at, text.substring(colon + 1, at)));
        }
        problem = "has USER:PASSWORD@ before the host, which " + driver + " does not take: " + GIVE_CREDENTIALS;
        return true;
    }

    private void checkPort(String port) {
        if (problem == null && !isPort(port)) {
            problem = "has the port '" + port + "', which is not a port number (1 to 65535)";
        }
    }

    private static boolean isPort(String port) {
        try {
            int p = Integer.parseInt(port);
            return p >= 1 && p <= 65535;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** KEY=VALUE options between {@code start} and {@code end}, separated by any of {@code separators}. */
    private void options(int start, int end, String separators, boolean percentEncoded) {
        int from = start;
        while (from < end) {
            int next = indexOfAny(text, separators, from);
            int stop = next < 0 || next > end ? end : next;
            int equals = text.indexOf('=', from);
            if (equals >= 0 && equals < stop) {
                String key = text.substring(from, equals).strip();
                if (isSecretKey(key)) {
                    String value = text.substring(equals + 1, stop);
                    String used = value;
                    if (percentEncoded) {
                        try {
                            used = URLDecoder.decode(value, StandardCharsets.UTF_8);
                        } catch (IllegalArgumentException e) {
                            used = value;
                        }
                    }
                    secrets.add(new Secret(equals + 1, stop, used));
                }
            }
            from = stop + 1;
        }
    }

    /** Whether a key names a secret: password, or ends in password (sslpassword, trustStorePassword, ...). */
    static boolean isSecretKey(String key) {
        return key.strip().toLowerCase(Locale.ROOT).endsWith("password");
    }

    private static int indexOfAny(String s, String chars) {
        return indexOfAny(s, chars, 0);
    }

    private static int indexOfAny(String s, String chars, int from) {
        for (int i = from; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
