package ispdb.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options every database command takes: where the database is, how long to wait for it, logging, and the
 * settings file that can give them instead (see {@link Settings}).
 */
final class CommonOptions {
    @Option(names = "--url", paramLabel = "JDBC_URL",
            description = "The database: jdbc:sqlite:FILE, jdbc:postgresql://HOST[:PORT]/DB or "
                    + "jdbc:mariadb://HOST[:PORT]/DB (also jdbc:mysql://). Default: $ISPDB_URL, "
                    + "else url in the settings file, else jdbc:sqlite:ispdb.sqlite in the current folder.")
    String url;

    @Option(names = "--user", paramLabel = "NAME", description = "The database user. Default: $ISPDB_USER, "
            + "else user in the settings file.")
    String user;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "Read the database password from the first line of FILE, which only its owner may "
                    + "read. Default: the password in $ISPDB_PASSWORD, else password-file in the settings file.")
    Path passwordFile;

    @Option(names = "--busy-timeout", paramLabel = "MILLISECONDS",
            description = "On SQLite, how long a command that writes waits for another writer (such as a running "
                    + "load) to commit; readers never wait (default: 30000).")
    Integer busyTimeout;

    @Option(names = {"-v", "--verbose"}, description = "Show what happens, and the details of an error.")
    boolean verbose;

    @Option(names = "--log-file", paramLabel = "FILE",
            description = "Append a log of the run to FILE (for cron jobs). Default: log-file in the settings file.")
    Path logFile;

    @Option(names = "--log-format", paramLabel = "FORMAT",
            description = "The log's format (--verbose and --log-file): text, or json for one JSON object per line "
                    + "(time, level, command, message, and a summary's numbers as fields) for journald and log "
                    + "shippers. Default: log-format in the settings file, else text.")
    Logging.Format logFormat;

    @Option(names = "--metrics-file", paramLabel = "FILE",
            description = "When the command ends, write its metrics (exit code, time, rows loaded) to FILE in "
                    + "Prometheus' text format for node_exporter's textfile collector, keeping the other commands' "
                    + "(name it NAME.prom). Default: metrics-file in the settings file.")
    Path metricsFile;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The settings file (keys url, user, password-file, busy-timeout, log-file, log-format, metrics-file). Default: "
                    + "$ISPDB_CONFIG, else ~/.config/ispdb/ispdb.properties if it exists.")
    Path config;
}
