package ispdb.cli;

import ispdb.ExitCodes;
import ispdb.IspdbException;
import ispdb.db.Database;
import ispdb.db.Dialect;
import ispdb.db.Urls;
import ispdb.files.OutputFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every subcommand shares: the common options, logging set up first, and the way to the database. */
abstract class DatabaseCommand implements Callable<Integer> {
    @ParentCommand
    Ispdb root;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    /** This run's settings, with where each came from; resolved first thing in {@link #call()}. */
    Settings settings;

    /** What this run's loads did, for its metrics ({@link #loaded}). */
    private final List<ispdb.load.LoadResult.Count> loadCounts = new ArrayList<>();

    /** A load of this run is done: its counts go into the run's metrics (--metrics-file). */
    void loaded(ispdb.load.LoadResult result) {
        synchronized (loadCounts) {
            loadCounts.addAll(result.counts());
        }
        String seconds = String.format(java.util.Locale.ROOT, "%.3f", result.seconds());
        Logging.withFields("loaded " + result.loaded() + " of " + result.read() + " rows (skipped " + result.skipped()
                + ", rejected " + result.rejected() + ") in " + seconds + " s", "read", result.read(), "loaded",
                result.loaded(), "skipped", result.skipped(), "rejected", result.rejected(), "seconds", seconds);
    }

    /** What this run has deleted so far, per table name, for its metrics ({@link #deleted}). */
    private final java.util.Map<String, Long> deletedRows = new java.util.TreeMap<>();

    /** This run has deleted {@code rows} rows of the table so far (a total, not an increment): for --metrics-file. */
    void deleted(ispdb.model.Table table, long rows) {
        synchronized (deletedRows) {
            deletedRows.put(table.tableName(), rows);
        }
    }

    @Override
    public final Integer call() {
        long started = System.nanoTime();
        settings = Settings.resolve(common, root.env);
        Logging.format(settings.logFormatValue(), spec.name());
        Logging.configure(common.verbose, settings.logFilePath(), settings.logFile(), databaseFiles(), inputs(), err());
        Path metrics = settings.metricsFilePath();
        if (metrics != null) {
            ispdb.report.Metrics.check(metricsOption(), metrics, databaseFiles(), inputs());
            // a signal ends the run on its own thread: the metrics are written there
            ispdb.Interruption.atExit(signalled -> writeMetrics(metrics, started, signalled));
        }
        Logger log = LogManager.getLogger("ispdb");
        if (log.isInfoEnabled()) {
            // the command line as typed, each URL in it masked to its secrets' values (a password's own text is not
            // searched for: a short one would mask the same letters everywhere else in the line)
            log.info("ispdb {}: {} (user {}, database {})", Version.version(),
                    String.join(" ", spec.root().commandLine().getParseResult().originalArgs().stream()
                            .map(Urls::redact).toList()),
                    System.getProperty("user.name"), String.join(" and ", urls().stream().map(Urls::redact).toList()));
        }
        if (log.isDebugEnabled()) {
            settings.describeOrigins().forEach(line -> log.debug("setting {}", line));
        }
        int code = ExitCodes.INTERNAL;
        try {
            code = execute();
            return code;
        } catch (IspdbException e) {
            code = e.exitCode();
            throw e;
        } finally {
            Logging.withFields("exit code " + code, "exit_code", code);
            if (metrics != null) {
                ispdb.Interruption.atExit(null);
                writeMetrics(metrics, started, code);
            }
        }
    }

    private String metricsOption() {
        return settings.metricsFile().source() == Settings.Setting.Source.OPTION ? "--metrics-file" : "";
    }

    /**
     * Writes the run's metrics; a failure is said in one sentence on standard error and in the log, and the run keeps
     * its exit code (what the command did stands).
     */
    private void writeMetrics(Path file, long started, int code) {
        List<ispdb.load.LoadResult.Count> counts;
        synchronized (loadCounts) {
            counts = List.copyOf(loadCounts);
        }
        java.util.Map<String, Long> deleted;
        synchronized (deletedRows) {
            deleted = java.util.Map.copyOf(deletedRows);
        }
        try {
            ispdb.report.Metrics.write(metricsOption(), file, databaseFiles(), inputs(), new ispdb.report.Metrics.Run(
                    spec.name(), System.currentTimeMillis() / 1000.0, (System.nanoTime() - started) / 1e9, code,
                    counts, deleted));
        } catch (IspdbException e) {
            err().println("ispdb: " + e.getMessage());
            err().flush();
            LogManager.getLogger("ispdb").error(e.getMessage());
        }
    }

    /** The command's work; returns the exit code. */
    abstract int execute();

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /**
     * The files of this run's databases (SQLite's; none for a server), which no file it writes may be: the one of
     * --url or the settings, or copy's --from and --to.
     */
    List<Path> databaseFiles() {
        List<Path> files = new ArrayList<>();
        files.add(ispdb.db.JdbcUrl.fileOf(settings.url().value()));
        return files;
    }

    /**
     * The files this run reads besides its databases (the settings file, the password file, a command's inputs),
     * which no file it writes may be either.
     */
    List<Path> inputs() {
        List<Path> files = new ArrayList<>();
        files.add(settings.file());
        files.add(settings.passwordFile().isSet() ? Path.of(settings.passwordFile().value()) : null);
        return files;
    }

    /**
     * Checks an output file an option names against every rule ({@link OutputFile}) before any work is done (a usage
     * error if it breaks one); null is no file.
     */
    void checkOutput(String option, Path path, OutputFile.Kind kind) {
        if (path != null) {
            OutputFile.check(option, path, kind, databaseFiles(), inputs());
        }
    }

    /** The output file an option names, checked against every rule ({@link OutputFile}) and opened. */
    OutputFile outputFile(String option, Path path, OutputFile.Kind kind) {
        return OutputFile.open(option, path, kind, databaseFiles(), inputs(), false);
    }

    /** The database URL, checked to name a database ispdb knows (the message says where it came from). */
    String url() {
        Settings.Setting url = settings.url();
        Dialect.of(url.value(), url.described());
        return url.value();
    }

    Database.Settings databaseSettings() {
        return databaseSettings(url());
    }

    /** How to connect to {@code url} (checked by the caller) with this run's user, password and busy timeout. */
    Database.Settings databaseSettings(String url) {
        String user = settings.user().value();
        if (password == null) {
            password = settings.passwordFile().isSet() ? readPasswordFile(settings.passwordFile())
                    : root.env.get("ISPDB_PASSWORD");
        }
        return new Database.Settings(url, user, password, settings.busyTimeoutMillis());
    }

    /** The password this run connects with, once {@link #databaseSettings()} has read it. */
    private String password;

    /** The URLs of the databases this command uses (as given: the caller masks them); copy has two. */
    java.util.List<String> urls() {
        return java.util.Collections.singletonList(settings != null ? settings.url().value() : common.url);
    }

    /** {@code text} (a stack trace, say) without the password of this run, nor those written into its URLs. */
    String scrub(String text) {
        return Urls.scrub(text, password != null ? password : root.env.get("ISPDB_PASSWORD"), urls());
    }

    /** Connects (exit code 3 if it cannot); only init-schema may create a new SQLite file. */
    Database open(boolean create) {
        return Database.open(databaseSettings(), create);
    }

    private static String readPasswordFile(Settings.Setting setting) {
        Path file = Path.of(setting.value());
        String named = setting.described();
        if (!Files.isRegularFile(file)) {
            throw IspdbException.usage(named + ": no such file");
        }
        TrustedFile.require(file, named, true);
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int end = text.indexOf('\n');
            String line = end < 0 ? text : text.substring(0, end);
            return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        } catch (IOException e) {
            throw IspdbException.usage(named + ": cannot read it");
        }
    }
}
