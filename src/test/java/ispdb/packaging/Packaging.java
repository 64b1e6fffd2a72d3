package ispdb.packaging;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ispdb.testing.Cli.Run;
import ispdb.testing.Fixtures;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * What the packaging tests (*IT, run by failsafe after {@code mvn package}) share: where the build put the archive and
 * the .deb, running programs in a bare environment, and visible skips for missing tools.
 */
final class Packaging {
    private Packaging() {
    }

    /** The repository: failsafe runs in it (the basedir property names it too). */
    static Path repository() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
    }

    static String version() {
        String v = System.getenv("ISPDB_VERSION");
        if (v == null || v.isBlank()) {
            fail("ISPDB_VERSION is not set: run the packaging tests through Maven (mvn -B verify)");
        }
        return v;
    }

    /** A build output, which mvn package makes; a failure (not a skip) if it is missing. */
    static Path built(String name) {
        Path p = repository().resolve("target").resolve(name);
        assertTrue(Files.exists(p), p + " is missing: build it with mvn -B package");
        return p;
    }

    /** Skips the test visibly unless {@code tool} is on PATH. */
    static void requireTool(String tool, String what) {
        if (which(tool) == null) {
            System.err.println("SKIPPED: " + tool + " is not installed (" + what + "); .ci/run installs it");
            Assumptions.assumeTrue(false, tool + " is not installed");
        }
    }

    static Path which(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Runs a program in {@code dir} with exactly the environment {@code env} (cron's is PATH=/usr/bin:/bin). */
    static Run run(Path dir, Map<String, String> env, List<String> command) {
        try {
            Path out = Files.createTempFile("ispdb-it-", ".out");
            Path err = Files.createTempFile("ispdb-it-", ".err");
            try {
                ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
                pb.environment().clear();
                pb.environment().putAll(env);
                Process p = pb.start();
                if (!p.waitFor(300, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    fail(command + " did not end within 300 s");
                }
                return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Run run(Path dir, Map<String, String> env, String... command) {
        return run(dir, env, List.of(command));
    }

    /** A folder every user may enter (JUnit's @TempDir is private to its owner), removed by {@link #delete}. */
    static Path openFolder(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    /** Deletes a tree, making it writable first (the tests make installations read-only). */
    static void delete(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        run(Path.of("/"), Map.of("PATH", "/usr/bin:/bin"), "chmod", "-R", "u+w", dir.toString());
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(walk.toList());
            java.util.Collections.reverse(all);
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Every file under {@code dir}, as relative paths, to see that nothing was written there. */
    static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    /** A small payment methods export, made by the test. */
    static Path paymentMethods(Path dir) {
        return Fixtures.write(dir, "payment_methods.csv", "payment_method_id,payment_method_name\n1,Card\n2,Cash\n");
    }
}
