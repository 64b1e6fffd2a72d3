package ispdb.cli;

import ispdb.ExitCodes;
import ispdb.IspdbException;
import ispdb.db.Database;
import ispdb.db.Urls;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every subcommand shares: the common options, logging set up first, and the way to the database. */
abstract class DatabaseCommand implements Callable<Integer> {
    static final String DEFAULT_URL = "jdbc:sqlite:ispdb.sqlite";

    @ParentCommand
    Ispdb root;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Override
    public final Integer call() {
        Logging.configure(common.verbose, common.logFile);
        Logger log = LogManager.getLogger("ispdb");
        if (log.isInfoEnabled()) {
            // the command line as typed (a password written into a URL scrubbed), by whom, and on what
            log.info("ispdb {}: {} (user {}, database {})", Version.version(),
                    scrub(String.join(" ", spec.root().commandLine().getParseResult().originalArgs())),
                    System.getProperty("user.name"), Urls.redact(url()));
        }
        int code = ExitCodes.INTERNAL;
        try {
            if (common.busyTimeout < 0) {
                throw IspdbException.usage("--busy-timeout must be 0 or more milliseconds");
            }
            code = execute();
            return code;
        } catch (IspdbException e) {
            code = e.exitCode();
            throw e;
        } finally {
            log.info("exit code {}", code);
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

    String url() {
        if (common.url != null && !common.url.isBlank()) {
            return common.url.strip();
        }
        String fromEnv = root.env.get("ISPDB_URL");
        return fromEnv != null && !fromEnv.isBlank() ? fromEnv.strip() : DEFAULT_URL;
    }

    Database.Settings settings() {
        String user = common.user != null ? common.user : root.env.get("ISPDB_USER");
        String password = common.passwordFile != null ? readPasswordFile(common.passwordFile)
                : root.env.get("ISPDB_PASSWORD");
        this.password = password;
        return new Database.Settings(url(), user, password, common.busyTimeout);
    }

    /** The password this run connects with, once {@link #settings()} has read it. */
    private String password;

    /** {@code text} (a stack trace, say) without the password of this run, nor those written into the URL. */
    String scrub(String text) {
        return Urls.scrub(text, password != null ? password : root.env.get("ISPDB_PASSWORD"), url());
    }

    /** Connects (exit code 3 if it cannot); only init-schema may create a new SQLite file. */
    Database open(boolean create) {
        return Database.open(settings(), create);
    }

    private static String readPasswordFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw IspdbException.usage("--password-file " + file + ": no such file");
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            if (permissions.contains(PosixFilePermission.GROUP_READ)
                    || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                throw IspdbException.usage("--password-file " + file + " may be read by other users: "
                        + "make it private with 'chmod 600 " + file + "'");
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        } catch (IOException e) {
            throw IspdbException.usage("--password-file " + file + ": " + e.getMessage());
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int end = text.indexOf('\n');
            String line = end < 0 ? text : text.substring(0, end);
            return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        } catch (IOException e) {
            throw IspdbException.usage("--password-file " + file + ": cannot read it");
        }
    }
}
