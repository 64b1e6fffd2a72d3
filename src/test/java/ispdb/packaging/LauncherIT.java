package ispdb.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.testing.Cli.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The development launcher scripts/ispdb, as ops would use it: through a chain of symlinks in another folder, from
 * any folder, in cron's bare environment; it writes nowhere but the repository's target/; a missing Java or Maven is
 * one sentence.
 */
class LauncherIT {
    private static final Map<String, String> CRON = Map.of("PATH", "/usr/bin:/bin");

    private Path tmp;

    @BeforeEach
    void folder() throws IOException {
        tmp = Packaging.openFolder("ispdb-launcher-it");
    }

    @AfterEach
    void clean() throws IOException {
        Packaging.delete(tmp);
    }

    @Test
    void runsThroughSymlinksFromAnyFolderInABareEnvironment() throws IOException {
        Path launcher = Packaging.repository().resolve("scripts/ispdb");
        Path links = Files.createDirectories(tmp.resolve("usr-local-bin"));
        Path other = Files.createDirectories(tmp.resolve("opt"));
        Files.createSymbolicLink(other.resolve("ispdb-link"), launcher);
        Path link = Files.createSymbolicLink(links.resolve("ispdb"), other.resolve("ispdb-link"));
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path csv = Packaging.paymentMethods(tmp);
        List<String> before = Packaging.listing(tmp);

        Run version = Packaging.run(Path.of("/"), CRON, link.toString(), "--version");
        assertEquals(0, version.exitCode(), version::toString);
        assertEquals("ispdb " + Packaging.version() + "\n", version.out());
        assertEquals("", version.err());

        String url = "jdbc:sqlite:" + work.resolve("isp.sqlite");
        Run init = Packaging.run(work, CRON, link.toString(), "init-schema", "--url", url);
        assertEquals(0, init.exitCode(), init::toString);
        Run load = Packaging.run(work, CRON, link.toString(), "load-csv", "--url", url, "--table",
                "payment-methods", csv.toString());
        assertEquals(0, load.exitCode(), load::toString);
        assertTrue(load.out().startsWith("loaded 2 rows into dim_payment_method"), load.out());
        Run status = Packaging.run(Path.of("/"), CRON, link.toString(), "schema-status", "--url", url);
        assertEquals(0, status.exitCode(), status::toString);
        assertTrue(status.out().contains("dim_payment_method 2 rows"), status.out());

        List<String> after = Packaging.listing(tmp);
        assertEquals(before.size() + 1, after.size(), "only the database was written here: " + after);
        assertTrue(after.contains("work/isp.sqlite"), after.toString());
        assertFalse(Files.exists(Path.of("/target")) || Files.exists(tmp.resolve("target")), "no target/ beside a link");
        try (var leftovers = Files.list(Packaging.repository().resolve("target"))) {
            assertTrue(leftovers.noneMatch(p -> p.getFileName().toString().startsWith("train.")),
                    "the training run's scratch folder is removed");
        }
    }

    @Test
    void aMissingJavaOrMavenIsOneSentence() throws IOException {
        Path tools = toolsWithout(tmp.resolve("tools"));
        Path launcher = Packaging.repository().resolve("scripts/ispdb");
        Run noJava = Packaging.run(tmp, Map.of("PATH", tools.toString()), "/bin/bash", launcher.toString(),
                "--version");
        assertEquals(127, noJava.exitCode(), noJava::toString);
        assertEquals("", noJava.out());
        assertTrue(noJava.err().startsWith("ispdb: Java 17 or newer is needed and was not found: install")
                && noJava.err().indexOf('\n') == noJava.err().length() - 1, noJava.err());

        // a clone that was never built, on a machine with Java but no Maven
        Path clone = Files.createDirectories(tmp.resolve("clone/scripts"));
        Files.copy(launcher, clone.resolve("ispdb"));
        Files.copy(Packaging.repository().resolve("src/dist/bin/ispdb"),
                Files.createDirectories(tmp.resolve("clone/src/dist/bin")).resolve("ispdb"));
        Files.writeString(tmp.resolve("clone/pom.xml"), "<project/>\n");
        Files.createSymbolicLink(tools.resolve("java"), Path.of(System.getProperty("java.home"), "bin", "java"));
        Run noMaven = Packaging.run(tmp, Map.of("PATH", tools.toString()), "/bin/bash",
                clone.resolve("ispdb").toString(), "--version");
        assertEquals(127, noMaven.exitCode(), noMaven::toString);
        assertTrue(noMaven.err().startsWith("ispdb: Maven is needed to build ispdb and was not found: install")
                && noMaven.err().indexOf('\n') == noMaven.err().length() - 1, noMaven.err());
        assertFalse(Files.exists(tmp.resolve("clone/target")), "nothing written");
    }

    /** A PATH folder with the basic tools the launchers use, and neither java nor mvn. */
    static Path toolsWithout(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String tool : List.of("readlink", "dirname", "find", "uname", "mkdir", "mktemp", "mv", "rm", "touch", "cat",
                "sed", "cksum", "cut", "chmod")) {
            Path real = Packaging.which(tool);
            if (real != null) {
                Files.createSymbolicLink(dir.resolve(tool), real);
            }
        }
        return dir;
    }
}
