package ispdb.cli;

import ispdb.IspdbException;
import ispdb.db.Urls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.logging.log4j.Level;
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
        if (logFile != null) {
            String named = logSetting.source() == Settings.Setting.Source.OPTION ? "the log file " + logFile
                    : "the log file " + logFile + " (" + logSetting.origin() + ")";
            try {
                Path parent = logFile.toAbsolutePath().getParent();
                if (parent != null && !Files.isDirectory(parent)) {
                    throw IspdbException.usage("cannot write " + named + ": its folder does not exist");
                }
                Files.newOutputStream(logFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND).close();
            } catch (IOException e) {
                throw IspdbException.usage("cannot write " + named + ": " + e.getMessage());
            }
        }
        configured = true;
        if (lightWhenSilent && !verbose && logFile == null) {
            silence();
            return;
        }
        ConfigurationBuilder<BuiltConfiguration> b = ConfigurationBuilderFactory.newConfigurationBuilder();
        b.setConfigurationName("ispdb");
        b.setStatusLevel(Level.OFF);
        Level level = verbose ? Level.DEBUG : logFile != null ? Level.INFO : Level.OFF;
        RootLoggerComponentBuilder root = b.newRootLogger(verbose ? Level.INFO : level);
        if (verbose) {
            AppenderComponentBuilder console = b.newAppender("stderr", "Console").addAttribute("target", "SYSTEM_ERR")
                    .add(b.newLayout("PatternLayout").addAttribute("pattern", PATTERN)
                            .addAttribute("alwaysWriteExceptions", false));
            b.add(console);
            root.add(b.newAppenderRef("stderr"));
        }
        if (logFile != null) {
            AppenderComponentBuilder file = b.newAppender("file", "File")
                    .addAttribute("fileName", logFile.toAbsolutePath().toString()).addAttribute("append", true)
                    .add(b.newLayout("PatternLayout").addAttribute("pattern", PATTERN)
                            .addAttribute("alwaysWriteExceptions", false));
            b.add(file);
            root.add(b.newAppenderRef("file"));
        }
        b.add(root);
        b.add(b.newLogger("ispdb", level));
        Configurator.reconfigure(b.build());
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
    }
}
