package ispdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.testing.Cli;
import ispdb.testing.Fixtures;
import ispdb.testing.SafetySupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The settings file (--config, $ISPDB_CONFIG, ~/.config/ispdb/ispdb.properties) and the precedence option >
 * environment variable > settings file > default, as {@code schema-status -v} reports it; every message about a
 * setting names where it came from.
 */
class SettingsTest {
    @TempDir
    Path tmp;

    private String urlA;
    private String urlB;
    private String urlC;

    @BeforeEach
    void databases() {
        urlA = init("a.sqlite");
        urlB = init("b.sqlite");
        urlC = init("c.sqlite");
    }

    private String init(String name) {
        String url = "jdbc:sqlite:" + tmp.resolve(name);
        Cli.Run r = new Cli().run("init-schema", "--url", url);
        assertEquals(0, r.exitCode(), r::toString);
        return url;
    }

    /** A Cli whose home is a folder of the test, so that no real ~/.config/ispdb is read. */
    private Cli cli() {
        return new Cli().env("HOME", tmp.resolve("home").toString());
    }

    private Path settings(String name, String text) {
        return Fixtures.write(tmp, name, text);
    }

    @Test
    void optionOutranksEnvironmentOutranksFileOutranksDefault() {
        Path file = settings("ispdb.properties", "# the cron jobs' database\nurl = " + urlA + "\nbusy-timeout=1234\n");

        Cli.Run all = cli().env("ISPDB_URL", urlB).run("schema-status", "-v", "--config", file.toString(), "--url", urlC);
        assertEquals(0, all.exitCode(), all::toString);
        assertTrue(all.out().contains("database:        the SQLite database " + tmp.resolve("c.sqlite")), all.out());
        assertTrue(all.out().contains("url:            " + urlC + " (--url)"), all.out());
        assertTrue(all.out().contains("busy-timeout:   1234 (busy-timeout in " + file + ")"), all.out());
        assertTrue(all.out().contains("settings file:  " + file + " (--config)"), all.out());

        Cli.Run envAndFile = cli().env("ISPDB_URL", urlB).run("schema-status", "-v", "--config", file.toString());
        assertEquals(0, envAndFile.exitCode(), envAndFile::toString);
        assertTrue(envAndFile.out().contains("the SQLite database " + tmp.resolve("b.sqlite")), envAndFile.out());
        assertTrue(envAndFile.out().contains("url:            " + urlB + " ($ISPDB_URL)"), envAndFile.out());

        Cli.Run fileOnly = cli().run("schema-status", "-v", "--config", file.toString(), "--busy-timeout", "5");
        assertEquals(0, fileOnly.exitCode(), fileOnly::toString);
        assertTrue(fileOnly.out().contains("the SQLite database " + tmp.resolve("a.sqlite")), fileOnly.out());
        assertTrue(fileOnly.out().contains("url:            " + urlA + " (url in " + file + ")"), fileOnly.out());
        assertTrue(fileOnly.out().contains("busy-timeout:   5 (--busy-timeout)"), fileOnly.out());
        assertTrue(fileOnly.out().contains("user:           not set"), fileOnly.out());

        Cli.Run defaults = cli().run("schema-status", "-v", "--url", urlA);
        assertEquals(0, defaults.exitCode(), defaults::toString);
        assertTrue(defaults.out().contains("busy-timeout:   30000 (default)"), defaults.out());
        assertTrue(defaults.out().contains("settings file:  none"), defaults.out());

        Cli.Run quiet = cli().run("schema-status", "--config", file.toString());
        assertFalse(quiet.out().contains("came from"), "only -v tells where settings came from: " + quiet.out());
    }

    @Test
    void configOptionOutranksTheVariableWhichOutranksTheDefaultPlace() throws IOException {
        Path home = tmp.resolve("home");
        Path defaultFile = home.resolve(".config/ispdb/ispdb.properties");
        Files.createDirectories(defaultFile.getParent());
        Files.writeString(defaultFile, "url=" + urlA + "\n");
        Path fromVariable = settings("variable.properties", "url=" + urlB + "\n");
        Path fromOption = settings("option.properties", "url=" + urlC + "\n");

        Cli.Run byDefault = cli().run("schema-status", "-v");
        assertEquals(0, byDefault.exitCode(), byDefault::toString);
        assertTrue(byDefault.out().contains("settings file:  " + defaultFile + " (the default place)"), byDefault.out());
        assertTrue(byDefault.out().contains("a.sqlite"), byDefault.out());

        Cli.Run byVariable = cli().env("ISPDB_CONFIG", fromVariable.toString()).run("schema-status", "-v");
        assertEquals(0, byVariable.exitCode(), byVariable::toString);
        assertTrue(byVariable.out().contains("settings file:  " + fromVariable + " ($ISPDB_CONFIG)"), byVariable.out());
        assertTrue(byVariable.out().contains("b.sqlite"), byVariable.out());

        Cli.Run byOption = cli().env("ISPDB_CONFIG", fromVariable.toString())
                .run("schema-status", "-v", "--config", fromOption.toString());
        assertEquals(0, byOption.exitCode(), byOption::toString);
        assertTrue(byOption.out().contains("c.sqlite"), byOption.out());

        Path xdg = tmp.resolve("xdg");
        Files.createDirectories(xdg.resolve("ispdb"));
        Files.writeString(xdg.resolve("ispdb/ispdb.properties"), "url=" + urlB + "\n");
        Cli.Run byXdg = cli().env("XDG_CONFIG_HOME", xdg.toString()).run("schema-status", "-v");
        assertEquals(0, byXdg.exitCode(), byXdg::toString);
        assertTrue(byXdg.out().contains("b.sqlite"), byXdg.out());
    }

    @Test
    void aPasswordKeyIsRefusedWithASentencePointingAtPasswordFile() {
        Path file = settings("secret.properties", "url=" + urlA + "\npassword=hunter2\n");
        Cli.Run r = cli().run("schema-status", "--config", file.toString());
        assertEquals(2, r.exitCode(), r::toString);
        assertEquals("ispdb: password in " + file + ": a settings file holds no password; put it alone in a file only "
                + "you can read (chmod 600) and name that file with password-file\n", r.err());
        assertFalse(r.err().contains("hunter2") || r.out().contains("hunter2"), r::toString);
    }

    @Test
    void badSettingsAreNamedWithWhereTheyCameFrom() {
        Cli.Run fromEnv = cli().env("ISPDB_URL", "garbage").run("schema-status");
        assertEquals(2, fromEnv.exitCode(), fromEnv::toString);
        assertEquals("ispdb: $ISPDB_URL=garbage is not a database ispdb knows: use jdbc:sqlite:FILE, "
                + "jdbc:postgresql://HOST/DB or jdbc:mariadb://HOST/DB\n", fromEnv.err());

        Path file = settings("bad-url.properties", "url=garbage\n");
        Cli.Run fromFile = cli().run("schema-status", "--config", file.toString());
        assertEquals(2, fromFile.exitCode(), fromFile::toString);
        assertEquals("ispdb: url=garbage in " + file + " is not a database ispdb knows: use jdbc:sqlite:FILE, "
                + "jdbc:postgresql://HOST/DB or jdbc:mariadb://HOST/DB\n", fromFile.err());

        Path timeout = settings("bad-timeout.properties", "url=" + urlA + "\nbusy-timeout=soon\n");
        Cli.Run badTimeout = cli().run("schema-status", "--config", timeout.toString());
        assertEquals(2, badTimeout.exitCode(), badTimeout::toString);
        assertEquals("ispdb: busy-timeout=soon in " + timeout + ": not a whole number of milliseconds\n",
                badTimeout.err());

        Cli.Run negative = cli().run("schema-status", "--url", urlA, "--busy-timeout", "-1");
        assertEquals(2, negative.exitCode(), negative::toString);
        assertEquals("ispdb: --busy-timeout -1: must be 0 or more milliseconds\n", negative.err());

        Path unknown = settings("unknown.properties", "url=" + urlA + "\nuser_name=ops\n");
        Cli.Run badKey = cli().run("schema-status", "--config", unknown.toString());
        assertEquals(2, badKey.exitCode(), badKey::toString);
        assertEquals("ispdb: user_name in " + unknown + ": not a setting ispdb knows (the keys are url, user, "
                + "password-file, busy-timeout, log-file, log-format, metrics-file)\n", badKey.err());

        Cli.Run missing = cli().run("schema-status", "--config", tmp.resolve("nope.properties").toString());
        assertEquals(2, missing.exitCode(), missing::toString);
        assertEquals("ispdb: --config " + tmp.resolve("nope.properties") + ": no such settings file\n", missing.err());

        Cli.Run missingByVariable = cli().env("ISPDB_CONFIG", tmp.resolve("gone.properties").toString())
                .run("schema-status");
        assertEquals(2, missingByVariable.exitCode(), missingByVariable::toString);
        assertEquals("ispdb: $ISPDB_CONFIG=" + tmp.resolve("gone.properties") + ": no such settings file\n",
                missingByVariable.err());
    }

    @Test
    void pathsInTheFileAreRelativeToItsFolderAndNamedInMessages() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("etc"));
        Path password = Fixtures.write(folder, "db-password", "secret\n");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-r--r--"));
        Path file = Fixtures.write(folder, "ispdb.properties", "url=" + urlA + "\npassword-file=db-password\n"
                + "log-file=ispdb.log\n");

        Cli.Run open = cli().run("schema-status", "--config", file.toString());
        assertEquals(2, open.exitCode(), open::toString);
        assertEquals("ispdb: password-file=" + password + " in " + file + " may be read by other users: make it "
                + "private with 'chmod 600 " + password + "'\n", open.err());

        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        Cli.Run ok = cli().run("schema-status", "-v", "--config", file.toString());
        assertEquals(0, ok.exitCode(), ok::toString);
        assertTrue(ok.out().contains("password-file:  " + password + " (password-file in " + file + ")"), ok.out());
        assertTrue(Files.readString(folder.resolve("ispdb.log")).contains("schema-status"), "the log-file key is used");

        Cli.Run passwordInEnvironment = cli().env("ISPDB_PASSWORD", "from-env")
                .run("schema-status", "-v", "--config", file.toString());
        assertEquals(0, passwordInEnvironment.exitCode(), passwordInEnvironment::toString);
        assertTrue(passwordInEnvironment.out().contains("password-file:  not used: the password is in $ISPDB_PASSWORD"),
                passwordInEnvironment.out());
        assertFalse(passwordInEnvironment.out().contains("from-env"), passwordInEnvironment.out());

        Path noFolder = Fixtures.write(tmp, "log.properties", "url=" + urlA + "\nlog-file=nope/x.log\n");
        Cli.Run badLog = cli().run("schema-status", "--config", noFolder.toString());
        assertEquals(2, badLog.exitCode(), badLog::toString);
        assertEquals("ispdb: cannot write the log file " + tmp.resolve("nope/x.log") + " (log-file in " + noFolder
                + "): its folder " + tmp.resolve("nope") + " does not exist\n", badLog.err());
    }

    /**
     * As ssh's StrictModes: a settings file another user could have written (it names the server the password goes
     * to, and where the log goes) is refused with what to chmod or chown, before anything in it is used.
     */
    @Test
    void aSettingsFileOthersCouldWriteIsRefused() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("conf"));
        Path log = folder.resolve("moved.log");
        Path file = Fixtures.write(folder, "ispdb.properties", "url=" + urlA + "\nlog-file=" + log + "\n");
        for (String mode : List.of("rw-rw-r--", "rw-r--rw-", "rw-rw-rw-")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
            Cli.Run r = cli().run("schema-status", "--config", file.toString());
            assertEquals(2, r.exitCode(), () -> mode + ": " + r);
            assertEquals("ispdb: --config " + file + " may be changed by other users: make it writable by its owner "
                    + "only with 'chmod go-w " + file + "'\n", r.err());
            assertEquals("", r.out());
        }
        assertFalse(Files.exists(log), "nothing in a refused file is used");

        // the same by $ISPDB_CONFIG and in the default place
        Cli.Run byVariable = cli().env("ISPDB_CONFIG", file.toString()).run("schema-status");
        assertEquals(2, byVariable.exitCode(), byVariable::toString);
        assertTrue(byVariable.err().startsWith("ispdb: $ISPDB_CONFIG=" + file + " may be changed"), byVariable::toString);
        Path home = tmp.resolve("home");
        Path defaultFile = Fixtures.write(Files.createDirectories(home.resolve(".config/ispdb")), "ispdb.properties",
                "url=" + urlA + "\n");
        Files.setPosixFilePermissions(defaultFile, PosixFilePermissions.fromString("rw-rw-rw-"));
        Cli.Run byDefault = cli().run("schema-status");
        assertEquals(2, byDefault.exitCode(), byDefault::toString);
        assertTrue(byDefault.err().startsWith("ispdb: the settings file " + defaultFile + " may be changed"),
                byDefault::toString);

        // a folder others may write to (and not sticky, as /tmp is): they could put another file in its place
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxrwx"));
        Cli.Run openFolder = cli().run("schema-status", "--config", file.toString());
        assertEquals(2, openFolder.exitCode(), openFolder::toString);
        assertEquals("ispdb: --config " + file + " is in the folder " + folder.toRealPath() + ", where other users "
                + "could replace it: 'chmod go-w " + folder.toRealPath() + "'\n", openFolder.err());

        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        Cli.Run ok = cli().run("schema-status", "--config", file.toString());
        assertEquals(0, ok.exitCode(), ok::toString);
        assertTrue(Files.exists(log), "the file's log-file is used");
    }

    /** A settings file (or a password file) of another user than the caller or root; needs root to make one. */
    @Test
    void aSettingsFileOfAnotherUserIsRefused() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "only root can give a file to another user");
        Path file = settings("theirs.properties", "url=" + urlA + "\n");
        java.nio.file.attribute.UserPrincipal nobody = tmp.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByName("nobody");
        Files.setOwner(file, nobody);
        // root runs it: a file of nobody's is refused (ssh's rule: the caller's or root's)
        Cli.Run r = cli().run("schema-status", "--config", file.toString());
        assertEquals(2, r.exitCode(), r::toString);
        assertEquals("ispdb: --config " + file + " belongs to nobody, who could make ispdb connect anywhere: use a "
                + "file of your own (or root's): 'chown root " + file + "'\n", r.err());
    }

    /** A relative SQLite file in the settings file's url is in the file's folder, not in the working folder. */
    @Test
    void aRelativeSqliteFileInTheSettingsFileIsInItsFolder() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("etc-rel"));
        Files.copy(tmp.resolve("a.sqlite"), folder.resolve("rel.sqlite"));
        Path file = Fixtures.write(folder, "ispdb.properties", "url=jdbc:sqlite:rel.sqlite\n");
        Cli.Run r = cli().run("schema-status", "-v", "--config", file.toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("database:        the SQLite database " + folder.resolve("rel.sqlite")), r.out());
        assertTrue(r.out().contains("url:            jdbc:sqlite:" + folder.resolve("rel.sqlite") + " (url in " + file
                + ")"), r.out());
        // the same URL given as an option is relative to the working folder, as any path on the command line
        Cli.Run option = cli().run("schema-status", "--url", "jdbc:sqlite:rel.sqlite");
        assertEquals(3, option.exitCode(), option::toString);
        assertTrue(option.err().startsWith("ispdb: there is no database at rel.sqlite"), option::toString);
    }

    @Test
    void aFolderGivenAsTheSettingsFileIsNamedAFolder() {
        Cli.Run r = cli().run("schema-status", "--config", tmp.toString());
        assertEquals(2, r.exitCode(), r::toString);
        assertEquals("ispdb: --config " + tmp + " is a folder: name the settings file in it (such as "
                + tmp.resolve("ispdb.properties") + ")\n", r.err());
    }

    /** The real process (ispdb.cli.Main): clustered -qv keeps the verbose lines; the file's log-file logs. */
    @Test
    void clusteredShortOptionsAndTheFilesLogFileWorkInARealProcess() throws IOException {
        Path csv = Fixtures.write(tmp, "payment_methods.csv", "payment_method_id,payment_method_name\n1,Card\n2,Cash\n");
        Cli.Run r = SafetySupport.run(tmp, "load-csv", "-qv", "--url", urlA, "--table", "payment-methods",
                csv.toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.err().contains("INFO") && r.err().contains("load-csv"), "verbose lines: " + r.err());
        assertFalse(r.out().contains("loaded 2 rows"), "quiet: no summary: " + r.out());

        Cli.Run silent = SafetySupport.run(tmp, "schema-status", "--url", urlA);
        assertEquals(0, silent.exitCode(), silent::toString);
        assertEquals("", silent.err());

        Path file = Fixtures.write(tmp, "cron.properties", "url=" + urlA + "\nlog-file=cron.log\n");
        Cli.Run logged = SafetySupport.run(tmp, "schema-status", "--config", file.toString());
        assertEquals(0, logged.exitCode(), logged::toString);
        assertEquals("", logged.err());
        String log = Files.readString(tmp.resolve("cron.log"));
        assertTrue(log.contains("ispdb ") && log.contains("schema-status"), log);
        assertTrue(List.of(log.split("\n")).stream().anyMatch(l -> l.contains("connected to")), log);
    }
}
