package ispdb.db;

import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;

/**
 * pgjdbc logs through java.util.logging, whose default handler prints WARNINGs to standard error whatever ispdb's
 * logging says, and some of them quote the URL ("JDBC URL invalid port number: ..."). Its records go to Log4j2
 * instead: silent unless --verbose or --log-file, and through the layout that masks secrets.
 */
final class DriverLogging {
    /** The logger configured (java.util.logging holds its loggers weakly: a collected one forgets its handler). */
    private static java.util.logging.Logger postgresql;

    private DriverLogging() {
    }

    static synchronized void toLog4j() {
        if (postgresql != null) {
            return;
        }
        postgresql = java.util.logging.Logger.getLogger("org.postgresql");
        postgresql.setUseParentHandlers(false);
        postgresql.addHandler(new Handler() {
            private final SimpleFormatter formatter = new SimpleFormatter();

            @Override
            public void publish(LogRecord record) {
                int level = record.getLevel().intValue();
                Level to = level >= java.util.logging.Level.SEVERE.intValue() ? Level.ERROR
                        : level >= java.util.logging.Level.WARNING.intValue() ? Level.WARN
                        : level >= java.util.logging.Level.INFO.intValue() ? Level.INFO : Level.DEBUG;
                LogManager.getLogger(record.getLoggerName() == null ? "org.postgresql" : record.getLoggerName())
                        .log(to, Urls.redact(formatter.formatMessage(record)), record.getThrown());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
    }
}
