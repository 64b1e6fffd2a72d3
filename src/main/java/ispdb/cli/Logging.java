package ispdb.cli;

import ispdb.IspdbException;
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
 * Anything that looks like a password setting is masked in every line.
 */
final class Logging {
    private static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%c{1}] "
            + "%replace{%m}{(?i)(password[\"']?\\s*[=:]\\s*)[^&;,\\s]*}{$1***}%n";

    /** Set when this process logs nowhere, so Log4j2's core (a fifth of the start-up time) never loads. */
    private static boolean silent;

    private Logging() {
    }

    /**
     * Called first thing in main: unless the arguments ask for a log (--verbose, -v, --log-file), every logger
     * of this process, SLF4J's (HikariCP, Flyway) and MyBatis' included, is Log4j2's light, silent
     * SimpleLogger instead of its core.
     */
    static void beforeFirstLogger(String[] args) {
        for (String a : args) {
            if (a.equals("--verbose") || a.equals("-v") || a.startsWith("--log-file") || a.equals("--")) {
                return;
            }
        }
        silent = true;
        System.setProperty("log4j2.loggerContextFactory", "org.apache.logging.log4j.simple.SimpleLoggerContextFactory");
        System.setProperty("log4j2.simplelogLevel", "OFF");
        System.setProperty("org.apache.logging.log4j.simplelog.level", "OFF");
        System.setProperty("log4j2.statusLoggerLevel", "OFF");
    }

    static void configure(boolean verbose, Path logFile) {
        if (silent && !verbose && logFile == null) {
            return;
        }
        if (logFile != null) {
            try {
                Path parent = logFile.toAbsolutePath().getParent();
                if (parent != null && !Files.isDirectory(parent)) {
                    throw IspdbException.usage("cannot write the log file " + logFile + ": its folder does not exist");
                }
                Files.newOutputStream(logFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND).close();
            } catch (IOException e) {
                throw IspdbException.usage("cannot write the log file " + logFile + ": " + e.getMessage());
            }
        }
        ConfigurationBuilder<BuiltConfiguration> b = ConfigurationBuilderFactory.newConfigurationBuilder();
        b.setConfigurationName("ispdb");
        b.setStatusLevel(Level.OFF);
        Level level = verbose ? Level.DEBUG : logFile != null ? Level.INFO : Level.OFF;
        RootLoggerComponentBuilder root = b.newRootLogger(verbose ? Level.INFO : level);
        if (verbose) {
            AppenderComponentBuilder console = b.newAppender("stderr", "Console").addAttribute("target", "SYSTEM_ERR")
                    .add(b.newLayout("PatternLayout").addAttribute("pattern", PATTERN));
            b.add(console);
            root.add(b.newAppenderRef("stderr"));
        }
        if (logFile != null) {
            AppenderComponentBuilder file = b.newAppender("file", "File")
                    .addAttribute("fileName", logFile.toAbsolutePath().toString()).addAttribute("append", true)
                    .add(b.newLayout("PatternLayout").addAttribute("pattern", PATTERN));
            b.add(file);
            root.add(b.newAppenderRef("file"));
        }
        b.add(root);
        b.add(b.newLogger("ispdb", level));
        Configurator.reconfigure(b.build());
    }
}
