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
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
                + "Depends: default-jre-headless (>= 2:1.17) | java17-runtime-headless, systemd | systemd-sysusers, "
                + "debconf (>= 0.5) | debconf-2.0\n",
                fields.out());

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

    /**
     * The scheduled jobs (docs/server.md): each service runs its command as the user ispdb with the package's settings
     * file and the hardening options, each timer has its schedule, the settings file and the logrotate file are
     * conffiles, the settings file root's in the package (postinst makes it root:ispdb 0640).
     */
    @Test
    void shipsTheScheduledJobsHardened() throws IOException {
        Path root = extract();
        Path units = root.resolve("lib/systemd/system");
        String config = "--config /etc/ispdb/ispdb.properties";
        Map<String, List<String>> commands = Map.of(
                "ispdb-ingest.service", List.of("ExecStart=/usr/bin/ispdb ingest " + config
                        + " --log-file /var/log/ispdb/ingest.log /var/lib/ispdb/drop"),
                "ispdb-predict.service", List.of("ExecStart=/usr/bin/ispdb refresh-customer-stats " + config
                        + " --log-file /var/log/ispdb/predict.log", "ExecStart=/usr/bin/ispdb predict --record "
                        + config + " --log-file /var/log/ispdb/predict.log"));
        for (Map.Entry<String, List<String>> service : commands.entrySet()) {
            List<String> lines = Files.readAllLines(units.resolve(service.getKey()));
            List<String> exec = lines.stream().filter(l -> l.startsWith("ExecStart=")).toList();
            assertEquals(service.getValue(), exec, service.getKey());
            for (String line : List.of("Type=oneshot", "User=ispdb", "Group=ispdb", "ProtectSystem=strict",
                    "ReadWritePaths=/var/lib/ispdb /var/log/ispdb", "NoNewPrivileges=yes", "PrivateTmp=yes",
                    "ProtectHome=yes", "PrivateDevices=yes", "CapabilityBoundingSet=")) {
                assertTrue(lines.contains(line), service.getKey() + " has no line " + line);
            }
            assertTrue(lines.stream().noneMatch(l -> l.startsWith("[Install]")),
                    service.getKey() + " is started by its timer only");
        }
        assertTrue(Files.readAllLines(units.resolve("ispdb-ingest.timer")).contains("OnCalendar=*:0/5"));
        assertTrue(Files.readAllLines(units.resolve("ispdb-predict.timer")).contains("OnCalendar=*-*-* 02:30"));
        for (String timer : List.of("ispdb-ingest.timer", "ispdb-predict.timer")) {
            assertTrue(Files.readAllLines(units.resolve(timer)).contains("WantedBy=timers.target"), timer);
        }

        Run conffiles = Packaging.run(tmp, CRON, "dpkg-deb", "--info", deb.toString(), "conffiles");
        assertEquals(0, conffiles.exitCode(), conffiles::toString);
        assertEquals("/etc/ispdb/ispdb.properties\n/etc/logrotate.d/ispdb\n", conffiles.out());
        assertTrue(Files.readAllLines(root.resolve("etc/ispdb/ispdb.properties"))
                .contains("url=jdbc:sqlite:/var/lib/ispdb/ispdb.sqlite"));
        Run contents = Packaging.run(tmp, CRON, "dpkg-deb", "--contents", deb.toString());
        assertTrue(contents.out().lines().anyMatch(l -> l.matches("-rw-r--r-- root/root .* \\./etc/ispdb/"
                + "ispdb\\.properties")), contents::toString);
        String logrotate = Files.readString(root.resolve("etc/logrotate.d/ispdb"));
        assertTrue(logrotate.startsWith("/var/log/ispdb/*.log {") && logrotate.contains("su ispdb ispdb"), logrotate);
        assertTrue(Files.readString(root.resolve("usr/lib/sysusers.d/ispdb.conf")).contains("\nu ispdb - "));
    }

    /**
     * systemd-analyze verify passes on every unit, in the extracted tree (--root, so that /usr/bin/ispdb is the
     * package's), with the host's own units beside them (the targets they name); --man=no: the man pages they
     * name are in the tree, not installed.
     */
    @Test
    void systemdAnalyzeVerifiesEveryUnit() throws IOException {
        Packaging.requireTool("systemd-analyze", "verifying the systemd units: apt-get install systemd");
        Path root = extract();
        Path host = Path.of("/lib/systemd/system");
        Run copy = Packaging.run(tmp, CRON, "cp", "-an", host + "/.", root.resolve("lib/systemd/system").toString());
        assertEquals(0, copy.exitCode(), copy::toString);
        List<String> command = new ArrayList<>(List.of("systemd-analyze", "verify", "--man=no", "--root=" + root));
        for (String unit : UNITS) {
            command.add("/lib/systemd/system/" + unit);
        }
        Run verify = Packaging.run(tmp, CRON, command);
        assertEquals(0, verify.exitCode(), verify::toString);
        assertTrue((verify.out() + verify.err()).lines().noneMatch(l -> l.contains("ispdb")), verify::toString);
    }

    /**
     * systemd-analyze security --offline (systemd 252 or later) scores each service's hardening, in the extracted
     * tree: an overall exposure of at most 1.3, "OK" (docs/server.md says what is left and why). Its threshold is the
     * score of the units as shipped, so that an option dropped fails here. MemoryDenyWriteExecute= stays off: the JVM's
     * compiler writes the code it runs.
     */
    @Test
    void systemdAnalyzeScoresTheServicesHardened() throws IOException {
        Packaging.requireTool("systemd-analyze", "scoring the systemd units: apt-get install systemd");
        Run version = Packaging.run(tmp, CRON, "systemd-analyze", "--version");
        Matcher number = Pattern.compile("^systemd (\\d+)").matcher(version.out());
        if (!number.find() || Integer.parseInt(number.group(1)) < 252) {
            System.err.println("SKIPPED: systemd-analyze security --offline needs systemd 252 or later: "
                    + version.out().lines().findFirst().orElse(""));
            Assumptions.assumeTrue(false, "systemd older than 252");
        }
        Path root = extract();
        for (String service : List.of("ispdb-ingest.service", "ispdb-predict.service")) {
            Run security = Packaging.run(tmp, CRON, "systemd-analyze", "security", "--offline=true", "--no-pager",
                    "--threshold=13", "--root=" + root, service);
            assertEquals(0, security.exitCode(), () -> service + " is more exposed than 1.3: " + security);
            Matcher overall = Pattern.compile("Overall exposure level for " + Pattern.quote(service)
                    + ": (\\d+\\.\\d) (\\w+)").matcher(security.out());
            assertTrue(overall.find(), security::toString);
            assertTrue(Double.parseDouble(overall.group(1)) <= 1.3, security::toString);
            assertTrue(List.of("OK", "SAFE", "PERFECT").contains(overall.group(2)), security::toString);
            List<String> lines = Files.readAllLines(root.resolve("lib/systemd/system/" + service));
            for (String line : List.of("SystemCallFilter=@system-service", "SystemCallFilter=~@privileged @resources",
                    "SystemCallErrorNumber=EPERM", "ProtectProc=invisible", "PrivateMounts=yes", "RemoveIPC=yes",
                    "UMask=0027")) {
                assertTrue(lines.contains(line), service + " has no line " + line);
            }
            assertTrue(lines.stream().noneMatch(l -> l.startsWith("MemoryDenyWriteExecute=")), service);
        }
    }

    /**
     * The services' system call filter holds at run time: the jobs' commands (init-schema, ingest of the sample data,
     * refresh-customer-stats, predict --record, on SQLite), run from the extracted package as an unprivileged user (as
     * root, SQLite gives its journal to the database's owner, a call the services never make) under strace, make no
     * system call outside SystemCallFilter=@system-service without @privileged and @resources (the groups expanded by
     * systemd-analyze syscall-filter). Needs root (setpriv) and strace; skipped with a message otherwise.
     */
    @Test
    void theJobsCommandsMakeOnlyTheSystemCallsTheFilterAllows() throws IOException {
        Packaging.requireTool("systemd-analyze", "the units' system call filter: apt-get install systemd");
        if (!Packaging.isRoot() || Packaging.which("strace") == null || Packaging.which("setpriv") == null) {
            System.err.println("SKIPPED: tracing the jobs' system calls as an unprivileged user needs root, setpriv"
                    + " and strace (apt-get install strace)");
            Assumptions.assumeTrue(false, "no root, setpriv or strace");
        }
        Set<String> allowed = new TreeSet<>(syscalls("@system-service"));
        allowed.removeAll(syscalls("@privileged"));
        allowed.removeAll(syscalls("@resources"));
        assertTrue(allowed.contains("openat") && !allowed.contains("fchown") && !allowed.contains("setrlimit"),
                allowed::toString);

        Path root = extract();
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path incoming = Files.createDirectories(work.resolve("drop/incoming"));
        for (String table : List.of("dim_payment_method", "dim_customer", "fact_transaction")) {
            Path csv = Files.copy(Packaging.repository().resolve("sample-data/" + table + ".csv"),
                    incoming.resolve(table + ".csv"));
            Files.setLastModifiedTime(csv, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
        }
        String nobody = "65534";
        Run chown = Packaging.run(tmp, CRON, "chown", "-R", nobody + ":" + nobody, work.toString());
        assertEquals(0, chown.exitCode(), chown::toString);
        String url = "jdbc:sqlite:" + work.resolve("ispdb.sqlite");
        String ispdb = root.resolve("usr/bin/ispdb").toString();
        Map<String, String> env = Map.of("PATH", "/usr/bin:/bin", "HOME", work.resolve("home").toString(),
                "XDG_CACHE_HOME", work.resolve("cache").toString());
        List<List<String>> commands = List.of(List.of("init-schema", "--url", url),
                List.of("ingest", "--url", url, "--settle", "0", work.resolve("drop").toString()),
                List.of("refresh-customer-stats", "--url", url), List.of("predict", "--record", "--url", url));
        Set<String> used = new TreeSet<>();
        Pattern call = Pattern.compile("^\\d+ +(?:<\\.\\.\\. )?([a-z_0-9]+)[( ]");
        for (List<String> command : commands) {
            Path trace = work.resolve("trace");
            List<String> line = new ArrayList<>(List.of("setpriv", "--reuid=" + nobody, "--regid=" + nobody,
                    "--clear-groups", "strace", "-f", "-qq", "-o", trace.toString(), ispdb));
            line.addAll(command);
            Run run = Packaging.run(work, env, line);
            assertEquals(0, run.exitCode(), run::toString);
            for (String traced : Files.readAllLines(trace)) {
                Matcher m = call.matcher(traced);
                if (m.find()) {
                    used.add(m.group(1));
                }
            }
        }
        assertTrue(used.contains("execve") && used.contains("openat") && used.contains("futex"), used::toString);
        Set<String> refused = new TreeSet<>(used);
        refused.removeAll(allowed);
        assertEquals(Set.of(), refused, "system calls of the jobs that the units' filter refuses");
    }

    /** The system calls of a group of systemd's (systemd-analyze syscall-filter), its groups expanded. */
    private Set<String> syscalls(String group) {
        Run listing = Packaging.run(tmp, CRON, "systemd-analyze", "syscall-filter", "--no-pager", group);
        assertEquals(0, listing.exitCode(), listing::toString);
        Set<String> calls = new TreeSet<>();
        for (String line : listing.out().lines().skip(1).map(String::strip).toList()) {
            if (line.startsWith("@")) {
                calls.addAll(syscalls(line));
            } else if (!line.isEmpty() && !line.startsWith("#")) {
                calls.add(line);
            }
        }
        return calls;
    }

    /** The maintainer scripts parse with sh -n (and shellcheck finds nothing, where it is installed). */
    @Test
    void maintainerScriptsAreSoundShell() {
        Path control = tmp.resolve("control");
        Run e = Packaging.run(tmp, CRON, "dpkg-deb", "--control", deb.toString(), control.toString());
        assertEquals(0, e.exitCode(), e::toString);
        boolean shellcheck = Packaging.which("shellcheck") != null;
        if (!shellcheck) {
            System.err.println("SKIPPED: shellcheck is not installed: maintainer scripts checked by sh -n only");
        }
        for (String script : List.of("config", "postinst", "prerm", "postrm")) {
            Path file = control.resolve(script);
            assertTrue(Files.isExecutable(file), script);
            Run n = Packaging.run(tmp, CRON, "sh", "-n", file.toString());
            assertEquals(0, n.exitCode(), () -> script + ": " + n);
            if (shellcheck) {
                Run check = Packaging.run(tmp, CRON, "shellcheck", "-s", "sh", file.toString());
                assertEquals(0, check.exitCode(), () -> script + ": " + check);
            }
        }
    }

    /**
     * dpkg installs, removes and purges the package in a throwaway root (dpkg --root, maintainer scripts run without
     * chroot with $DPKG_ROOT, under fakeroot unless the test runs as root; debconf, which honours $DPKG_ROOT, keeps its
     * database in the root's /var/cache/debconf): install makes the user ispdb there (not on the host), its folders,
     * the settings file root:ispdb 0640 (which ispdb accepts, run as that user when the test is root), registers the
     * purge question in the root's debconf database (not the host's), and enables no unit; a purge of an unused
     * installation asks nothing and leaves no file, no user and nothing in debconf's database; remove keeps the data,
     * and the non-interactive purge after it (debconf's default answer) keeps the data and the logs, and says so, but
     * nothing else.
     */
    @Test
    void installsRemovesAndPurgesInAThrowawayRoot() throws IOException {
        Path root = throwawayRoot();
        List<String> before = files(root);
        String hostPasswd = Files.readString(Path.of("/etc/passwd"));
        long hostQuestions = hostQuestions();
        Path state = tmp.resolve("fakeroot.state");

        Run install = dpkg(root, state, "--install", deb.toString());
        assertEquals(0, install.exitCode(), install::toString);
        assertTrue(debconfDatabase(root).contains("Name: ispdb/purge_data\n"), "the question is registered");
        Run purge = dpkg(root, state, "--purge", "ispdb");
        assertEquals(0, purge.exitCode(), purge::toString);
        assertEquals(before, files(root), "an unused installation leaves no file after a purge");
        assertTrue(Files.notExists(root.resolve("var/lib/ispdb")), "an empty /var/lib/ispdb goes with the purge");
        assertTrue(Files.notExists(root.resolve("var/log/ispdb")), "an empty /var/log/ispdb goes with the purge");
        assertTrue(!debconfDatabase(root).contains("ispdb"), "purge removes the package's questions from debconf");

        install = dpkg(root, state, "--install", deb.toString());
        assertEquals(0, install.exitCode(), install::toString);
        String uid = field(root.resolve("etc/passwd"), 2);
        String gid = field(root.resolve("etc/group"), 2);
        assertTrue(uid != null && gid != null, "no user ispdb in the throwaway root");
        assertEquals(hostPasswd, Files.readString(Path.of("/etc/passwd")), "the host's users are left alone");
        assertEquals(hostQuestions, hostQuestions(), "the host's debconf database is left alone");
        Run owners = as(state, "stat", "-c", "%n %u:%g %a", root + "/var/lib/ispdb", root + "/var/lib/ispdb/drop",
                root + "/var/lib/ispdb/drop/incoming", root + "/var/log/ispdb", root + "/etc/ispdb/ispdb.properties");
        assertEquals(root + "/var/lib/ispdb " + uid + ":" + gid + " 750\n"
                + root + "/var/lib/ispdb/drop " + uid + ":" + gid + " 750\n"
                + root + "/var/lib/ispdb/drop/incoming " + uid + ":" + gid + " 2770\n"
                + root + "/var/log/ispdb " + uid + ":" + gid + " 750\n"
                + root + "/etc/ispdb/ispdb.properties 0:" + gid + " 640\n", owners.out(), owners::toString);
        for (String unit : UNITS) {
            assertTrue(Files.isRegularFile(root.resolve("lib/systemd/system/" + unit)), unit);
        }
        assertTrue(Files.notExists(root.resolve("etc/systemd/system/timers.target.wants")), "no timer is enabled");
        if (Packaging.isRoot() && Packaging.which("setpriv") != null) {
            // the jobs' user accepts the settings file and writes its database into /var/lib/ispdb
            Run init = Packaging.run(tmp, Map.of("PATH", "/usr/bin:/bin", "HOME", "/nonexistent"), "setpriv",
                    "--reuid=" + uid, "--regid=" + gid, "--clear-groups", root + "/usr/bin/ispdb", "init-schema",
                    "--config", root + "/etc/ispdb/ispdb.properties", "--url",
                    "jdbc:sqlite:" + root + "/var/lib/ispdb/ispdb.sqlite", "--log-file",
                    root + "/var/log/ispdb/ingest.log");
            assertEquals(0, init.exitCode(), init::toString);
        } else {
            System.err.println("SKIPPED: running ispdb as the user ispdb needs root and setpriv");
            Files.writeString(root.resolve("var/lib/ispdb/ispdb.sqlite"), "data");
            Files.writeString(root.resolve("var/log/ispdb/ingest.log"), "log");
        }
        assertTrue(Files.isRegularFile(root.resolve("var/log/ispdb/ingest.log")), "a log");

        Run remove = dpkg(root, state, "--remove", "ispdb");
        assertEquals(0, remove.exitCode(), remove::toString);
        assertTrue(Files.isRegularFile(root.resolve("var/lib/ispdb/ispdb.sqlite")), "remove keeps the data");
        assertTrue(Files.isRegularFile(root.resolve("etc/ispdb/ispdb.properties")), "remove keeps the settings");
        assertEquals(uid, field(root.resolve("etc/passwd"), 2), "remove keeps the user");
        assertTrue(Files.notExists(root.resolve("lib/systemd/system/ispdb-ingest.service")));
        purge = dpkg(root, state, "--purge", "ispdb");
        assertEquals(0, purge.exitCode(), purge::toString);
        assertTrue(purge.err().contains("kept the data in /var/lib/ispdb and the logs in /var/log/ispdb"),
                purge::toString);
        List<String> left = new ArrayList<>(files(root));
        left.removeIf(f -> f.startsWith("var/lib/ispdb/") || f.startsWith("var/log/ispdb/"));
        assertEquals(before, left, "a purge leaves no file but the data and the logs");
        assertTrue(Files.isRegularFile(root.resolve("var/lib/ispdb/ispdb.sqlite")), "purge keeps the data");
        assertTrue(Files.isRegularFile(root.resolve("var/log/ispdb/ingest.log")), "purge keeps the logs");
        assertEquals(null, field(root.resolve("etc/passwd"), 2), "purge removes the user");
        assertEquals(null, field(root.resolve("etc/group"), 2), "purge removes the group");
        assertTrue(Files.readString(root.resolve("etc/shadow")).lines().noneMatch(l -> l.startsWith("ispdb:")));
        assertTrue(!debconfDatabase(root).contains("ispdb"), "purge removes the package's questions from debconf");
    }

    /**
     * The purge question answered yes (preseeded with debconf-set-selections into the root's debconf database, as an
     * admin automating a purge would): the purge deletes /var/lib/ispdb and /var/log/ispdb and leaves no file. And when
     * debconf is gone (its confmodule hidden, in a mount namespace of the test's own: a purge may come after debconf's
     * removal), the purge still succeeds and keeps the data, whatever was preseeded.
     */
    @Test
    void purgeDeletesTheDataWhenTheQuestionIsAnsweredYes() throws IOException {
        Path root = throwawayRoot();
        List<String> before = files(root);
        Path state = tmp.resolve("fakeroot.state");

        Run install = dpkg(root, state, "--install", deb.toString());
        assertEquals(0, install.exitCode(), install::toString);
        useTheInstallation(root);
        Run preseed = preseed(root, state, "ispdb ispdb/purge_data boolean true");
        assertEquals(0, preseed.exitCode(), preseed::toString);
        Run purge = dpkg(root, state, "--purge", "ispdb");
        assertEquals(0, purge.exitCode(), purge::toString);
        assertTrue(!purge.err().contains("kept the data"), purge::toString);
        assertTrue(Files.notExists(root.resolve("var/lib/ispdb")), "answered yes, purge deletes /var/lib/ispdb");
        assertTrue(Files.notExists(root.resolve("var/log/ispdb")), "answered yes, purge deletes /var/log/ispdb");
        assertEquals(before, files(root), "answered yes, a purge leaves no file");
        assertTrue(!debconfDatabase(root).contains("ispdb"), "purge removes the package's questions from debconf");

        if (!Packaging.isRoot() || Packaging.which("unshare") == null) {
            System.err.println("SKIPPED: a purge without debconf (hidden in a mount namespace) needs root and unshare");
            return;
        }
        install = dpkg(root, state, "--install", deb.toString());
        assertEquals(0, install.exitCode(), install::toString);
        useTheInstallation(root);
        preseed = preseed(root, state, "ispdb ispdb/purge_data boolean true");
        assertEquals(0, preseed.exitCode(), preseed::toString);
        Path empty = Files.createDirectories(tmp.resolve("no-debconf"));
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "sh", "-ec",
                "mount --bind \"$0\" /usr/share/debconf && test ! -e /usr/share/debconf/confmodule && exec \"$@\"",
                empty.toString()));
        command.addAll(dpkgCommand(root, "--purge", "ispdb"));
        purge = as(state, command.toArray(String[]::new));
        assertEquals(0, purge.exitCode(), purge::toString);
        assertTrue(purge.err().contains("kept the data in /var/lib/ispdb"), purge::toString);
        assertTrue(Files.isRegularFile(root.resolve("var/lib/ispdb/ispdb.sqlite")),
                "without debconf, the data is kept");
        assertEquals(null, field(root.resolve("etc/passwd"), 2), "without debconf, purge removes the user");
        assertTrue(Files.isRegularFile(Path.of("/usr/share/debconf/confmodule")), "the host's debconf is left alone");
    }

    /**
     * An empty root for dpkg --root: dpkg's database, the user files with root alone, and debconf's configuration
     * (the host's: its databases under /var/cache/debconf, which debconf reads below $DPKG_ROOT).
     */
    private Path throwawayRoot() throws IOException {
        Packaging.requireTool("dpkg", "installing the package in a throwaway root: apt-get install dpkg");
        Packaging.requireTool("systemd-sysusers", "the package's postinst: apt-get install systemd");
        Packaging.requireTool("userdel", "the package's postrm: apt-get install passwd");
        Packaging.requireTool("debconf-set-selections", "the package's question on purge: apt-get install debconf");
        if (!Packaging.isRoot()) {
            Packaging.requireTool("fakeroot", "dpkg as an unprivileged user: apt-get install fakeroot");
        }
        Path root = Files.createDirectories(tmp.resolve("system"));
        for (String dir : List.of("var/lib/dpkg/info", "var/lib/dpkg/updates", "etc", "var/log", "var/cache/debconf",
                "tmp")) {
            Files.createDirectories(root.resolve(dir));
        }
        Files.writeString(root.resolve("var/lib/dpkg/status"), "");
        Files.writeString(root.resolve("var/lib/dpkg/available"), "");
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.writeString(root.resolve("etc/group"), "root:x:0:\n");
        Files.writeString(root.resolve("etc/shadow"), "root:*:19000:0:99999:7:::\n");
        Files.writeString(root.resolve("etc/gshadow"), "root:*::\n");
        Path debconf = Path.of("/etc/debconf.conf");
        Files.copy(Files.isRegularFile(debconf) ? debconf : Path.of("/usr/share/debconf/debconf.conf"),
                root.resolve("etc/debconf.conf"));
        Files.writeString(tmp.resolve("fakeroot.state"), "");
        return root;
    }

    /** A database and a log in the installation's folders, as the jobs leave them. */
    private static void useTheInstallation(Path root) throws IOException {
        Files.writeString(root.resolve("var/lib/ispdb/ispdb.sqlite"), "data");
        Files.writeString(root.resolve("var/log/ispdb/ingest.log"), "log");
    }

    /** debconf-set-selections into the throwaway root's debconf database. */
    private Run preseed(Path root, Path state, String selection) throws IOException {
        Path file = tmp.resolve("selections");
        Files.writeString(file, selection + "\n");
        return as(state, Map.of("DPKG_ROOT", root.toString()), "debconf-set-selections", file.toString());
    }

    /** The throwaway root's debconf database: its questions and its templates. */
    private static String debconfDatabase(Path root) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String file : List.of("config.dat", "templates.dat")) {
            Path path = root.resolve("var/cache/debconf/" + file);
            if (Files.isRegularFile(path)) {
                text.append(Files.readString(path));
            }
        }
        return text.toString();
    }

    /** How many times the host's debconf database names ispdb's question (readable by anyone). */
    private static long hostQuestions() throws IOException {
        Path config = Path.of("/var/cache/debconf/config.dat");
        return Files.isReadable(config) ? Files.readAllLines(config).stream()
                .filter(l -> l.contains("ispdb/purge_data")).count() : 0;
    }

    private static final List<String> UNITS = List.of("ispdb-ingest.service", "ispdb-ingest.timer",
            "ispdb-predict.service", "ispdb-predict.timer");

    /** dpkg on the throwaway root, its scripts without chroot, as root or under fakeroot keeping its state. */
    private Run dpkg(Path root, Path state, String... action) {
        return as(state, dpkgCommand(root, action).toArray(String[]::new));
    }

    private static List<String> dpkgCommand(Path root, String... action) {
        List<String> command = new ArrayList<>(List.of("dpkg", "--root=" + root, "--force-script-chrootless",
                "--force-depends", "--log=/dev/null"));
        command.addAll(List.of(action));
        return command;
    }

    private Run as(Path state, String... command) {
        return as(state, Map.of(), command);
    }

    /**
     * A command as root or under fakeroot, with debconf non-interactive (its default answers, as apt's frontend
     * gives them in a script) and {@code env} besides.
     */
    private Run as(Path state, Map<String, String> env, String... command) {
        List<String> line = new ArrayList<>();
        if (!Packaging.isRoot()) {
            line.addAll(List.of("fakeroot", "-i", state.toString(), "-s", state.toString(), "--"));
        }
        line.addAll(List.of(command));
        Map<String, String> all = new HashMap<>(Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", "LANG",
                "C.UTF-8", "DEBIAN_FRONTEND", "noninteractive"));
        all.putAll(env);
        return Packaging.run(tmp, all, line);
    }

    /**
     * The files and links of the throwaway root but dpkg's database, debconf's (checked on its own), the user tools'
     * backups (passwd-) and lock.
     */
    private static List<String> files(Path root) throws IOException {
        return Packaging.listing(root).stream().filter(f -> !Files.isDirectory(root.resolve(f)))
                .filter(f -> !f.startsWith("var/lib/dpkg/") && !f.startsWith("var/cache/debconf/")
                        && !f.endsWith("-") && !f.equals("etc/.pwd.lock"))
                .toList();
    }

    /** Field {@code index} of the line of ispdb in a passwd or group file, or null. */
    private static String field(Path file, int index) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> l.startsWith("ispdb:")).map(l -> l.split(":")[index])
                .findFirst().orElse(null);
    }

    private Path extract() {
        Path root = tmp.resolve("root");
        Run x = Packaging.run(tmp, CRON, "dpkg-deb", "-x", deb.toString(), root.toString());
        assertEquals(0, x.exitCode(), x::toString);
        return root;
    }
}
