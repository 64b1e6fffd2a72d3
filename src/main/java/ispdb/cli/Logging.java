package ispdb.cli;

import ispdb.files.OutputFile;
import ispdb.db.Urls;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.ErrorHandler;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.builder.api.AppenderComponentBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.api.RootLoggerComponentBuilder;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;

/**
 * Log4j2, set up before the first logger exists: silent by default (the user sees ispdb's own sentences),
 * detail on standard error with --verbose, and a log file with --log-file for cron runs.
 * Anything that looks like a secret is masked in every line and stack trace. Set up from picocli's parsed options (so
 * clustered short options such as -qv count) and the settings file's log-file.
 */
final class Logging {
    /** Secrets masked in the message and in a stack trace, by the one masker's pattern (see {@link Urls}). */
    private static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%c{1}] "
            + "%replace{%m}{" + Urls.SECRET_IN_TEXT + "}{" + Urls.SECRET_IN_TEXT_REPLACEMENT + "}%n"
            + "%replace{%ex}{" + Urls.SECRET_IN_TEXT + "}{" + Urls.SECRET_IN_TEXT_REPLACEMENT + "}";

    /** The log's formats: ispdb's lines of text, or one JSON object per line (--log-format). */
    enum Format { TEXT, JSON }

    /**
     * The numbers a line of the log may carry (a load's summary, the exit code), as fields of its JSON object: put in
     * Log4j2's ThreadContext while the line is logged ({@link #withFields}).
     */
    static final List<String> FIELDS = List.of("read", "loaded", "skipped", "rejected", "seconds", "exit_code");

    /** One JSON object per line; the message and the stack trace masked as the text's are, then JSON-escaped. */
    static String jsonPattern(String command) {
        StringBuilder p = new StringBuilder("{\"time\":\"%d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z'}{UTC}\",")
                .append("\"level\":\"%level\",\"logger\":\"%enc{%c}{JSON}\",\"command\":\"")
                .append(command.replace("\\", "\\\\").replace("\"", "\\\"")).append("\",")
                .append("\"message\":\"%enc{%replace{%m}{").append(Urls.SECRET_IN_TEXT).append("}{")
                .append(Urls.SECRET_IN_TEXT_REPLACEMENT).append("}}{JSON}\"");
        for (String field : FIELDS) {
            p.append("%notEmpty{,\"").append(field).append("\":%X{").append(field).append("}}");
        }
        p.append("%notEmpty{,\"exception\":\"%enc{%replace{%ex}{").append(Urls.SECRET_IN_TEXT).append("}{")
                .append(Urls.SECRET_IN_TEXT_REPLACEMENT).append("}}{JSON}\"}");
        return p.append("}%n").toString();
    }

    /**
     * Logs a line at INFO with its numbers as fields ({@link #FIELDS}; in the text format only the message shows):
     * {@code fields} holds names and numbers, in turn.
     */
    static void withFields(String message, Object... fields) {
        java.util.Map<String, String> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i + 1 < fields.length; i += 2) {
            map.put(fields[i].toString(), fields[i + 1].toString());
        }
        try (org.apache.logging.log4j.CloseableThreadContext.Instance ignored =
                org.apache.logging.log4j.CloseableThreadContext.putAll(map)) {
            logger().info(message);
        }
    }

    /** The format and command of the next {@link #configure}: set by the command first. */
    private static Format format = Format.TEXT;
    private static String command = "ispdb";

    /** The log's format and the command's name for the JSON lines, before {@link #configure}. */
    static void format(Format f, String commandName) {
        format = f;
        command = commandName;
    }

    /**
     * Set by {@link Main}, which owns its JVM: a run that logs nowhere then uses Log4j2's light, silent SimpleLogger
     * instead of its core (a fifth of a short command's start-up). Tests run many commands in one JVM and always get
     * the core.
     */
    private static boolean lightWhenSilent;

    /** Whether this process's logging has been set up (by {@link #configure} or {@link #logger}). */
    private static boolean configured;

    private Logging() {
    }

    /** Called first thing in main, before anything logs. */
    static void lightWhenSilent() {
        lightWhenSilent = true;
    }

    /**
     * Sets up logging from the parsed options and settings, before the first logger exists: silent unless verbose
     * (detail on standard error) or a log file is asked for ({@code logSetting} names it in messages).
     */
    static void configure(boolean verbose, Path logFile, Settings.Setting logSetting) {
        configure(verbose, logFile, logSetting, List.of(), List.of(), null);
    }

    /**
     * As {@link #configure(boolean, Path, Settings.Setting)}; the log file keeps the rules of every file ispdb writes
     * ({@link OutputFile}: never one of {@code databases} or {@code inputs}, - is standard output, created owner-only),
     * and a failure to write it is said once on {@code err}.
     */
    static void configure(boolean verbose, Path logFile, Settings.Setting logSetting, List<Path> databases,
            List<Path> inputs, PrintWriter err) {
        OutputFile.Target target = null;
        Path appendTo = null;
        if (logFile != null) {
            boolean option = logSetting.source() == Settings.Setting.Source.OPTION;
            target = OutputFile.check(option ? "--log-file" : "", logFile,
                    option ? logFile.toString() : logFile + " (" + logSetting.origin() + ")", OutputFile.Kind.LOG,
                    databases, inputs);
            appendTo = OutputFile.createForAppending(target);
        }
        configured = true;
        if (lightWhenSilent && !verbose && logFile == null) {
            silence();
            return;
        }
        ConfigurationBuilder<BuiltConfiguration> b = ConfigurationBuilderFactory.newConfigurationBuilder();
        b.setConfigurationName("ispdb");
        b.setStatusLevel(Level.OFF);
        String pattern = format == Format.JSON ? jsonPattern(command) : PATTERN;
        Level level = verbose ? Level.DEBUG : logFile != null ? Level.INFO : Level.OFF;
        RootLoggerComponentBuilder root = b.newRootLogger(verbose ? Level.INFO : level);
        if (verbose) {
            AppenderComponentBuilder console = b.newAppender("stderr", "Console").addAttribute("target", "SYSTEM_ERR")
                    .add(b.newLayout("PatternLayout").addAttribute("pattern", pattern)
                            .addAttribute("alwaysWriteExceptions", false));
            b.add(console);
            root.add(b.newAppenderRef("stderr"));
        }
        if (target != null) {
            AppenderComponentBuilder file = target.where() == OutputFile.Where.STDOUT
                    || target.where() == OutputFile.Where.STDERR
                    ? b.newAppender("file", "Console").addAttribute("target",
                            target.where() == OutputFile.Where.STDOUT ? "SYSTEM_OUT" : "SYSTEM_ERR")
                            .addAttribute("follow", true)
                    : b.newAppender("file", "File").addAttribute("fileName", appendTo.toAbsolutePath().toString())
                            .addAttribute("append", true);
            b.add(file.add(b.newLayout("PatternLayout").addAttribute("pattern", pattern)
                    .addAttribute("alwaysWriteExceptions", false)));
            root.add(b.newAppenderRef("file"));
        }
        b.add(root);
        b.add(b.newLogger("ispdb", level));
        Configurator.reconfigure(b.build());
        if (target != null) {
            Appender appender = LoggerContext.getContext(false).getConfiguration().getAppender("file");
            if (appender != null) {
                appender.setHandler(new SaidOnce(target.named(), err));
            }
        }
    }

    /**
     * A log file that cannot be written (a full disk, a closed pipe) is said on standard error, once: a cron job's
     * only record must not be lost without a word. The run goes on.
     */
    private static final class SaidOnce implements ErrorHandler {
        private final String named;
        private final PrintWriter err;
        private final AtomicBoolean said = new AtomicBoolean();

        SaidOnce(String named, PrintWriter err) {
            this.named = named;
            this.err = err;
        }

        @Override
        public void error(String msg) {
            say(null);
        }

        @Override
        public void error(String msg, Throwable t) {
            say(t);
        }

        @Override
        public void error(String msg, LogEvent event, Throwable t) {
            say(t);
        }

        private void say(Throwable t) {
            if (said.compareAndSet(false, true)) {
                Throwable cause = t;
                while (cause != null && !(cause instanceof IOException)) {
                    cause = cause.getCause();
                }
                String reason = cause instanceof IOException io ? OutputFile.reason(io) : "it cannot be written";
                String line = "ispdb: cannot write " + named + ": " + reason + " (the run goes on without its log)";
                if (err != null) {
                    err.println(line);
                    err.flush();
                } else {
                    System.err.println(line);
                }
            }
        }
    }

    /**
     * ispdb's logger. Before {@link #configure} has run (a settings file that cannot be read, say) logging is set
     * up silent first, so that Log4j2's default configuration never prints to the console.
     */
    static org.apache.logging.log4j.Logger logger() {
        if (!configured) {
            configured = true;
            if (lightWhenSilent) {
                silence();
            } else {
                configure(false, null, null);
            }
        }
        return org.apache.logging.log4j.LogManager.getLogger("ispdb");
    }

    private static void silence() {
        System.setProperty("log4j2.loggerContextFactory", "org.apache.logging.log4j.simple.SimpleLoggerContextFactory");
        System.setProperty("log4j2.simplelogLevel", "OFF");
        System.setProperty("org.apache.logging.log4j.simplelog.level", "OFF");
        System.setProperty("log4j2.statusLoggerLevel", "OFF");
        // HikariCP and MyBatis log through SLF4J: its no-operation provider, named, instead of a service-loader
        // search that finds Log4j2's bridge (which logs nowhere here either); SLF4J's own note that it loaded the
        // named provider is below its WARN
        System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
        System.setProperty("slf4j.internal.verbosity", "WARN");
    }
}
