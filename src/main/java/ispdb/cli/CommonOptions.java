package ispdb.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every database command takes: where the database is, how long to wait for it, and logging. */
final class CommonOptions {
    @Option(names = "--url", paramLabel = "JDBC_URL",
            description = "The database: jdbc:sqlite:FILE, jdbc:postgresql://HOST[:PORT]/DB or "
                    + "jdbc:mariadb://HOST[:PORT]/DB (also jdbc:mysql://). Default: $ISPDB_URL, "
                    + "else jdbc:sqlite:ispdb.sqlite in the current folder.")
    String url;

    @Option(names = "--user", paramLabel = "NAME", description = "The database user. Default: $ISPDB_USER.")
    String user;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "Read the database password from the first line of FILE, which only its owner may "
                    + "read. Default: $ISPDB_PASSWORD.")
    Path passwordFile;

    @Option(names = "--busy-timeout", paramLabel = "MILLISECONDS", defaultValue = "30000",
            description = "On SQLite, how long to wait for another program that holds the database "
                    + "(default: ${DEFAULT-VALUE}).")
    int busyTimeout;

    @Option(names = {"-v", "--verbose"}, description = "Show what happens, and the details of an error.")
    boolean verbose;

    @Option(names = "--log-file", paramLabel = "FILE", description = "Append a log of the run to FILE (for cron jobs).")
    Path logFile;
}
