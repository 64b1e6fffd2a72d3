package ispdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.testing.Cli;
import ispdb.testing.SafetySupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short command does only what it needs (see docs/performance.md, start-up): the classes a child ispdb loads,
 * from its JVM's class-loading log. Not a timed test: what is measured is which libraries start, not how fast.
 */
class StartupTest {
    @TempDir
    Path tmp;

    /** The classes {@code ispdb ARGS} loaded in a child JVM; it must exit with {@code code}. */
    private Set<String> loadedClasses(int code, String... args) throws IOException {
        Path log = tmp.resolve("classes-" + System.nanoTime() + ".log");
        Cli.Run run = SafetySupport.start(tmp, List.of("-Xlog:class+load=info:file=" + log), args).await();
        assertEquals(code, run.exitCode(), run::toString);
        Set<String> classes = new TreeSet<>();
        for (String line : Files.readAllLines(log)) {
            // [info][class,load] java.lang.Object source: shared objects file
            int end = line.indexOf(" source:");
            int start = line.lastIndexOf(' ', end - 1);
            if (end > 0 && start >= 0) {
                classes.add(line.substring(start + 1, end));
            }
        }
        assertFalse(classes.isEmpty(), "no class-loading log in " + log);
        return classes;
    }

    private static void assertNone(Set<String> classes, String prefix, String why) {
        List<String> found = new ArrayList<>();
        for (String c : classes) {
            if (c.startsWith(prefix)) {
                found.add(c);
            }
        }
        assertTrue(found.isEmpty(), () -> why + ": " + found.size() + " classes loaded, such as "
                + found.subList(0, Math.min(5, found.size())));
    }

    private String database() {
        String url = "jdbc:sqlite:" + tmp.resolve("startup.sqlite");
        Cli.Run init = new Cli().run("init-schema", "--url", url);
        assertEquals(0, init.exitCode(), init::toString);
        return url;
    }

    /**
     * ispdb's classes concatenate strings with StringBuilder calls (javac's -XDstringConcat=inline, in the pom), not
     * with invokedynamic, whose every shape spins method-handle classes the first time it runs, at every start.
     */
    @Test
    void ispdbConcatenatesStringsWithoutInvokedynamic() throws Exception {
        Path classes = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isDirectory(classes.resolve("ispdb/cli")), "not a folder of classes: " + classes);
        List<String> found = new ArrayList<>();
        List<Path> files;
        try (var walk = Files.walk(classes)) {
            files = walk.filter(f -> f.toString().endsWith(".class")).toList();
        }
        for (Path file : files) {
            String bytes = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
            if (bytes.contains("java/lang/invoke/StringConcatFactory")) {
                found.add(classes.relativize(file).toString());
            }
        }
        assertTrue(files.size() > 100, "only " + files.size() + " classes in " + classes);
        assertTrue(found.isEmpty(), () -> found.size() + " classes concatenate by invokedynamic, such as "
                + found.subList(0, Math.min(5, found.size())));
    }

    @Test
    void aSilentListingStartsNeitherLog4jCoreNorFlyway() throws IOException {
        Set<String> classes = loadedClasses(0, "list-customers", "--url", database(), "--limit", "10");
        // no --verbose, no log file: Log4j2's light SimpleLogger, never its core (set up before any logger exists)
        assertNone(classes, "org.apache.logging.log4j.core.LoggerContext", "Log4j2's core started");
        assertNone(classes, "org.apache.logging.log4j.core.config.plugins", "Log4j2's plugins were scanned");
        // HikariCP's and MyBatis' SLF4J loggers are SLF4J's no-operation ones, not Log4j2's bridge
        assertNone(classes, "org.apache.logging.slf4j", "SLF4J went through Log4j2's bridge");
        assertTrue(classes.contains("org.slf4j.helpers.NOPLogger"), "SLF4J's no-operation logger was not used");
        assertTrue(classes.contains("ispdb.cli.ListCustomersCommand"), "the command did not run");
    }
}
