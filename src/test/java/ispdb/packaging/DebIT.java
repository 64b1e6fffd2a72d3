package ispdb.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ispdb.docs.MarkdownLinks;
import ispdb.cli.CompletionTest;
import ispdb.testing.Cli.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Debian package target/ispdb_VERSION-1_all.deb (mvn -B package -Pdeb), extracted with dpkg-deb -x and run from
 * there: /usr/bin/ispdb, the man pages, the completion, the README with docs/, and a dependency on Debian's Java;
 * and lintian finds nothing in it.
 */
class DebIT {
    private static final Map<String, String> CRON = Map.of("PATH", "/usr/bin:/bin");

    private Path tmp;
    private Path deb;

    @BeforeEach
    void find() throws IOException {
        deb = Packaging.repository().resolve("target/ispdb_" + Packaging.version() + "-1_all.deb");
        if (!Files.isRegularFile(deb)) {
            if ("1".equals(System.getenv("ISPDB_TEST_REQUIRE_PACKAGES"))) {
                fail(deb + " is missing: .ci/run builds it with mvn -B package -Pdeb");
            }
            System.err.println("SKIPPED: " + deb + " is not built (mvn -B verify -Pdeb builds and tests it)");
            Assumptions.assumeTrue(false, "no .deb");
        }
        Packaging.requireTool("dpkg-deb", "extracting the Debian package: apt-get install dpkg");
        tmp = Packaging.openFolder("ispdb-deb-it");
    }

    @AfterEach
    void clean() throws IOException {
        Packaging.delete(tmp);
    }

    @Test
    void declaresItsJavaAndInstallsTheCommandManPagesAndCompletion() throws IOException {
        Run fields = Packaging.run(tmp, CRON, "dpkg-deb", "-f", deb.toString(), "Package", "Version",
                "Architecture", "Depends");
        assertEquals(0, fields.exitCode(), fields::toString);
        assertEquals("Package: ispdb\nVersion: " + Packaging.version() + "-1\nArchitecture: all\n"
                + "Depends: default-jre-headless (>= 2:1.17) | java17-runtime-headless\n", fields.out());

        Path root = extract();
        assertTrue(Files.isSymbolicLink(root.resolve("usr/bin/ispdb")), "/usr/bin/ispdb");
        for (String page : List.of("ispdb", "ispdb-init-schema", "ispdb-load-csv", "ispdb-list-customers",
                "ispdb-record-prediction", "ispdb-schema-status")) {
            assertTrue(Files.isRegularFile(root.resolve("usr/share/man/man1/" + page + ".1.gz")), page + ".1.gz");
        }
        assertTrue(Files.isRegularFile(root.resolve("usr/share/doc/ispdb/copyright")));
        Path completion = root.resolve("usr/share/bash-completion/completions/ispdb");
        try {
            assertEquals("load-csv", CompletionTest.complete(completion, "ispdb lo"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        String page = ManPages.render(root.resolve("usr/share/man/man1/ispdb-schema-status.1.gz"));
        assertTrue(page.contains("--config=FILE") && page.contains("EXIT STATUS"), page);
    }

    /**
     * /usr/share/doc/ispdb: the README with the docs/ pages beside it, so that its relative links lead to a page (and
     * a heading) of the package; its one link elsewhere, CHANGELOG.md, is changelog.gz here, Debian's name for it.
     */
    @Test
    void installsTheReadmeWithTheDocsItLinksTo() {
        Path doc = extract().resolve("usr/share/doc/ispdb");
        for (String file : List.of("README.md", "docs/commands.md", "docs/troubleshooting.md", "docs/files.md",
                "docs/report.png", "changelog.gz")) {
            assertTrue(Files.isRegularFile(doc.resolve(file)), "/usr/share/doc/ispdb/" + file);
        }
        List<Path> documents = new ArrayList<>(List.of(doc.resolve("README.md")));
        documents.addAll(MarkdownLinks.pages(doc.resolve("docs")));
        List<String> broken = MarkdownLinks.broken(doc, documents);
        assertEquals(1, broken.size(), () -> "links that lead nowhere: " + broken);
        assertTrue(broken.get(0).matches("README\\.md:\\d+: CHANGELOG\\.md \\(no such file\\)"), broken::toString);
    }

    /**
     * lintian --pedantic, with its informational and experimental tags too, reports nothing: every tag it would give
     * is either fixed or overridden in /usr/share/lintian/overrides/ispdb, each override under a comment that says why.
     */
    @Test
    void lintianFindsNothing() throws IOException {
        Packaging.requireTool("lintian", "checking the Debian package: apt-get install lintian");
        Path root = extract();
        Path overrides = root.resolve("usr/share/lintian/overrides/ispdb");
        if (Files.exists(overrides)) {
            String previous = "";
            for (String line : Files.readAllLines(overrides)) {
                assertTrue(line.isBlank() || line.startsWith("#") || previous.startsWith("#"),
                        "an override without a comment that says why: " + line);
                previous = line;
            }
        }
        Map<String, String> env = Map.of("PATH", "/usr/bin:/bin", "HOME", tmp.toString(), "LANG", "C.UTF-8");
        Run lintian = Packaging.run(tmp, env, "lintian", "--pedantic", "--display-info",
                "--display-experimental", "--tag-display-limit", "0", "--fail-on",
                "error,warning,info,pedantic,experimental", deb.toString());
        List<String> tags = lintian.out().lines().filter(l -> l.matches("[EWIPXC]: .*")).toList();
        assertEquals(List.of(), tags, lintian::toString);
        assertEquals(0, lintian.exitCode(), lintian::toString);
    }

    @Test
    void runsFromTheExtractedTreeWithoutWritingIntoIt() throws IOException {
        Path root = extract();
        Path ispdb = root.resolve("usr/bin/ispdb");
        List<String> installed = Packaging.listing(root);
        Path work = Files.createDirectories(tmp.resolve("work"));
        Map<String, String> env = Map.of("PATH", "/usr/bin:/bin", "HOME", tmp.resolve("home").toString());

        Run version = Packaging.run(Path.of("/"), env, ispdb.toString(), "--version");
        assertEquals(0, version.exitCode(), version::toString);
        assertEquals("ispdb " + Packaging.version() + "\n", version.out());
        String url = "jdbc:sqlite:" + work.resolve("isp.sqlite");
        Run init = Packaging.run(work, env, ispdb.toString(), "init-schema", "--url", url);
        assertEquals(0, init.exitCode(), init::toString);
        Run load = Packaging.run(work, env, ispdb.toString(), "load-csv", "--url", url, "--table",
                "payment-methods", Packaging.paymentMethods(tmp).toString());
        assertEquals(0, load.exitCode(), load::toString);
        Run status = Packaging.run(work, env, ispdb.toString(), "schema-status", "--url", url);
        assertEquals(0, status.exitCode(), status::toString);
        assertTrue(status.out().contains("dim_payment_method 2 rows"), status.out());
        assertEquals(installed, Packaging.listing(root), "a packaged installation is never written to, even by root");
        assertTrue(Files.isDirectory(tmp.resolve("home/.cache/ispdb")), "the start-up cache is in the user's cache");
    }

    private Path extract() {
        Path root = tmp.resolve("root");
        Run x = Packaging.run(tmp, CRON, "dpkg-deb", "-x", deb.toString(), root.toString());
        assertEquals(0, x.exitCode(), x::toString);
        return root;
    }
}
