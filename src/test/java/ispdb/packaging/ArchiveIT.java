package ispdb.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.cli.CompletionTest;
import ispdb.cli.Ispdb;
import ispdb.docs.MarkdownLinks;
import ispdb.testing.Cli.Run;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The release archive target/ispdb-VERSION.tar.gz, unpacked into a read-only folder and run through a chain of
 * symlinks in cron's bare environment, as root and as an unprivileged user; its man pages render and its completion
 * completes.
 */
class ArchiveIT {
    private Path tmp;
    private Path home;

    @BeforeEach
    void unpack() throws IOException {
        tmp = Packaging.openFolder("ispdb-archive-it");
        Path archive = Packaging.built("ispdb-" + Packaging.version() + ".tar.gz");
        Path install = Files.createDirectories(tmp.resolve("opt"));
        Run tar = Packaging.run(tmp, Map.of("PATH", "/usr/bin:/bin"), "tar", "-xzf", archive.toString(),
                "-C", install.toString());
        assertEquals(0, tar.exitCode(), tar::toString);
        home = install.resolve("ispdb-" + Packaging.version());
        Run readOnly = Packaging.run(tmp, Map.of("PATH", "/usr/bin:/bin"), "chmod", "-R", "a-w",
                install.toString());
        assertEquals(0, readOnly.exitCode(), readOnly::toString);
    }

    @AfterEach
    void clean() throws IOException {
        Packaging.delete(tmp);
    }

    @Test
    void holdsTheLauncherTheJarTheManPagesTheCompletionAndTheDocs() {
        for (String file : List.of("bin/ispdb", "lib/ispdb.jar", "share/man/man1/ispdb.1",
                "share/man/man1/ispdb-init-schema.1", "share/man/man1/ispdb-load-csv.1",
                "share/man/man1/ispdb-list-customers.1", "share/man/man1/ispdb-record-prediction.1",
                "share/man/man1/ispdb-schema-status.1", "share/man/man1/ispdb-generate-completion.1",
                "share/bash-completion/completions/ispdb", "README.md", "CHANGELOG.md", "LICENSE",
                "docs/commands.md", "docs/troubleshooting.md", "docs/files.md", "docs/report.png")) {
            assertTrue(Files.isRegularFile(home.resolve(file)), file + " is in the archive");
        }
        assertTrue(Files.isExecutable(home.resolve("bin/ispdb")));
    }

    /** Every relative link of the README, the CHANGELOG and the docs/ pages leads to a file (and heading) in it. */
    @Test
    void theReadmesLinksLeadIntoTheArchive() {
        List<Path> documents = new ArrayList<>(List.of(home.resolve("README.md"), home.resolve("CHANGELOG.md")));
        documents.addAll(MarkdownLinks.pages(home.resolve("docs")));
        assertEquals(List.of(), MarkdownLinks.broken(home, documents), "links that lead nowhere");
    }

    @Test
    void runsReadOnlyThroughSymlinksAsRootAndAsAnUnprivilegedUser() throws IOException {
        Path links = Files.createDirectories(tmp.resolve("bin"));
        Path hop = Files.createSymbolicLink(tmp.resolve("ispdb-hop"), home.resolve("bin/ispdb"));
        Path link = Files.createSymbolicLink(links.resolve("ispdb"), hop);
        Path work = Files.createDirectories(tmp.resolve("work"));
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path csv = Packaging.paymentMethods(tmp);
        Files.setPosixFilePermissions(csv, PosixFilePermissions.fromString("rw-r--r--"));
        List<String> installed = Packaging.listing(home);

        Path rootHome = Files.createDirectories(tmp.resolve("root-home"));
        everyCommand(List.of(), link, work, "root.sqlite", csv, rootHome);
        assertEquals(installed, Packaging.listing(home), "nothing is written into the installation");
        try (Stream<Path> cache = Files.walk(rootHome.resolve(".cache/ispdb"))) {
            assertTrue(cache.anyMatch(p -> p.getFileName().toString().equals("ispdb.jsa")),
                    "the class-data archive is made on first run in the user's cache");
        }

        if (!Packaging.isRoot() || Packaging.which("setpriv") == null) {
            System.err.println("SKIPPED: running the archive as an unprivileged user needs root and setpriv");
            Assumptions.assumeTrue(false, "not root, or no setpriv");
        }
        Path nobodyHome = Files.createDirectories(tmp.resolve("nobody-home"));
        Files.setPosixFilePermissions(nobodyHome, PosixFilePermissions.fromString("rwxrwxrwx"));
        List<String> asNobody = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");
        everyCommand(asNobody, link, work, "nobody.sqlite", csv, nobodyHome);
        assertEquals(installed, Packaging.listing(home), "nothing is written into the installation");
        // and with no home at all (HOME=/nonexistent, as for system users): no cache, still works
        everyCommand(asNobody, link, work, "homeless.sqlite", csv, Path.of("/nonexistent"));
    }

    private static void everyCommand(List<String> as, Path ispdb, Path work, String database, Path csv, Path home) {
        Map<String, String> env = new HashMap<>(Map.of("PATH", "/usr/bin:/bin", "HOME", home.toString()));
        String url = "jdbc:sqlite:" + work.resolve(database);
        Run version = Packaging.run(Path.of("/"), env, command(as, ispdb, "--version"));
        assertEquals(0, version.exitCode(), version::toString);
        assertEquals("ispdb " + Packaging.version() + "\n", version.out());
        assertEquals("", version.err(), version::toString);
        Run init = Packaging.run(work, env, command(as, ispdb, "init-schema", "--url", url));
        assertEquals(0, init.exitCode(), init::toString);
        Run load = Packaging.run(work, env, command(as, ispdb, "load-csv", "--url", url, "--table",
                "payment-methods", csv.toString()));
        assertEquals(0, load.exitCode(), load::toString);
        Run predict = Packaging.run(work, env, command(as, ispdb, "record-prediction", "--url", url,
                "--customer", "1", "--clv", "10"));
        assertEquals(1, predict.exitCode(), "customer 1 does not exist: " + predict);
        Run list = Packaging.run(work, env, command(as, ispdb, "list-customers", "--url", url));
        assertEquals(0, list.exitCode(), list::toString);
        Run status = Packaging.run(work, env, command(as, ispdb, "schema-status", "--url", url));
        assertEquals(0, status.exitCode(), status::toString);
        assertTrue(status.out().contains("dim_payment_method 2 rows"), status.out());
        Run help = Packaging.run(work, env, command(as, ispdb, "help", "load-csv"));
        assertEquals(0, help.exitCode(), help::toString);
    }

    private static List<String> command(List<String> as, Path ispdb, String... args) {
        List<String> c = new ArrayList<>(as);
        c.add(ispdb.toString());
        c.addAll(List.of(args));
        return c;
    }

    @Test
    void theManPageShowsTheOptionsTheExitCodesAndTheExamples() {
        String page = ManPages.render(home.resolve("share/man/man1/ispdb-load-csv.1"));
        assertTrue(page.contains("ispdb-load-csv - Loads a CSV export"), page);
        assertTrue(page.contains("--table=TABLE") && page.contains("--on-error=fail|skip")
                && page.contains("--config=FILE"), "options: " + page);
        assertTrue(page.contains("\nEXIT STATUS\n") && page.contains("data rejected, nothing written")
                && page.contains("internal error") && page.contains("the launcher cannot find Java 17+"),
                "exit codes: " + page);
        assertTrue(page.lines().findFirst().orElse("")
                .matches("ISPDB-LOAD-CSV\\(1\\) +User Commands +ISPDB-LOAD-CSV\\(1\\)"),
                "the header names the manual: " + page);
        assertTrue(page.lines().anyMatch(l -> l.strip().matches("ispdb " + Pattern.quote(Packaging.version()) + " .*")),
                "the footer names ispdb's version: " + page);
        // one FILE, as the parser takes it (a second one is refused)
        String synopsis = page.substring(page.indexOf("\nSYNOPSIS\n"), page.indexOf("\nDESCRIPTION\n"));
        assertTrue(synopsis.contains("[FILE]") && !synopsis.contains("FILE..."), synopsis);
        assertTrue(page.contains("\nSEE ALSO\n       ispdb(1)\n"), "see also: " + page);
        assertTrue(page.lines().anyMatch(l -> l.strip().equals("ispdb load-csv --dir sample-data"))
                && page.lines().anyMatch(l -> l.strip().equals("ispdb load-csv --table customers customers.csv")),
                "examples, a line each: " + page);
    }

    /**
     * ispdb(1): EXIT STATUS with every code of --help, ENVIRONMENT with what the commands and the launcher read,
     * FILES, and SEE ALSO naming every command's page, each of which the archive holds.
     */
    @Test
    void theMainManPageHasTheEnvironmentTheFilesTheExitStatusAndEveryCommandsPage() {
        String page = ManPages.render(home.resolve("share/man/man1/ispdb.1"));
        assertTrue(page.lines().findFirst().orElse("").matches("ISPDB\\(1\\) +User Commands +ISPDB\\(1\\)"), page);
        List<String> sections = page.lines().filter(l -> l.matches("[A-Z][A-Z ]+")).toList();
        assertEquals(List.of("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "COMMANDS", "EXIT STATUS", "ENVIRONMENT",
                "FILES", "SEE ALSO"), sections, page);
        String exit = section(page, "EXIT STATUS");
        for (String code : List.of("0", "1", "2", "3", "4", "70", "127")) {
            assertTrue(exit.contains("\n       " + code + "\n"), "exit status " + code + ": " + exit);
        }
        String environment = section(page, "ENVIRONMENT");
        for (String variable : List.of("ISPDB_URL", "ISPDB_USER", "ISPDB_PASSWORD", "ISPDB_CONFIG", "XDG_CONFIG_HOME",
                "HOME", "ISPDB_JAVA", "JAVA_HOME", "ISPDB_JAVA_OPTS", "XDG_CACHE_HOME")) {
            assertTrue(environment.contains("\n       " + variable + "\n"), variable + ": " + environment);
        }
        String files = section(page, "FILES");
        assertTrue(files.contains("~/.config/ispdb/ispdb.properties") && files.contains("~/.cache/ispdb/")
                && files.contains("ispdb.sqlite"), files);
        String seeAlso = section(page, "SEE ALSO").replaceAll("\\s+", " ");
        CommandLine cl = Ispdb.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                Map.of());
        for (String command : cl.getSubcommands().keySet()) {
            assertTrue(seeAlso.contains("ispdb-" + command + "(1)"), command + ": " + seeAlso);
            assertTrue(Files.isRegularFile(home.resolve("share/man/man1/ispdb-" + command + ".1")), command);
        }
    }

    /** A section of a rendered man page: from its heading to the next one. */
    private static String section(String page, String heading) {
        int start = page.indexOf("\n" + heading + "\n");
        assertTrue(start >= 0, heading + ": " + page);
        Matcher next = Pattern.compile("\n[A-Z][A-Z ]+\n").matcher(page);
        return page.substring(start, next.find(start + heading.length() + 2) ? next.start() + 1 : page.length());
    }

    @Test
    void theCompletionCompletesCommandsAndOptions() throws Exception {
        Path script = home.resolve("share/bash-completion/completions/ispdb");
        assertEquals("load-csv", CompletionTest.complete(script, "ispdb lo"));
        assertEquals("--table", CompletionTest.complete(script, "ispdb load-csv --ta"));
        assertEquals("skip-existing", CompletionTest.complete(script, "ispdb load-csv --mode sk"));
        assertFalse(Files.readString(script).startsWith("#!"), "a completion is sourced, not run: no #! line");
    }
}
