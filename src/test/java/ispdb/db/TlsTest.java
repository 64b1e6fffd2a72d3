package ispdb.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.testing.Cli;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Verified TLS: a private PostgreSQL with ssl = on, and a private MariaDB with ssl_cert/ssl_key/ssl_ca, each with a
 * certificate for 127.0.0.1 from a throwaway CA (made here with openssl). verify-full with that CA connects; another
 * CA, or the host name localhost, is refused in one sentence, exit 3. Each skipped (visibly) where its server's
 * binaries or openssl are missing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsTest {
    private Path dir;
    private Path pgCtl;
    private int port;
    private boolean started;
    private int mariadbPort;
    private Process mariadb;
    private final Cli cli = new Cli();

    @BeforeAll
    void start() throws Exception {
        Path bin = postgresBin();
        Assumptions.assumeTrue(bin != null && Files.isExecutable(Path.of("/usr/bin/openssl")), () -> {
            System.err.println("SKIPPED: TlsTest needs the PostgreSQL server binaries (/usr/lib/postgresql/*/bin) "
                    + "and openssl");
            return "no PostgreSQL server binaries or no openssl";
        });
        pgCtl = bin.resolve("pg_ctl");
        dir = Files.createTempDirectory("ispdb-tls");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        certificates(dir);
        port = freePort();
        Path data = dir.resolve("data");
        asServerUser(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A", "trust",
                "--no-sync");
        asServerUser(pgCtl.toString(), "-D", data.toString(), "-l", dir.resolve("pg.log").toString(), "-w", "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c ssl=on -c ssl_cert_file="
                        + dir.resolve("server.crt") + " -c ssl_key_file=" + dir.resolve("server.key")
                        + " -c fsync=off", "start");
        started = true;
        startMariadb();
    }

    /** A private mariadbd (its own datadir, a free port, no wsrep) with TLS; a user ispdb who may do anything. */
    private void startMariadb() throws Exception {
        Path server = Path.of("/usr/sbin/mariadbd");
        if (!Files.isExecutable(server) || !Files.isExecutable(Path.of("/usr/bin/mariadb-install-db"))) {
            System.err.println("SKIPPED: TlsTest's MariaDB half needs mariadbd and mariadb-install-db");
            return;
        }
        Path data = dir.resolve("mariadb");
        Files.createDirectories(data);
        // the key, for the server's user (PostgreSQL's copy is postgres' own)
        Files.copy(dir.resolve("server.key"), dir.resolve("mariadb.key"));
        if (isRoot()) {
            run(dir, "chown", "mysql:mysql", data.toString(), dir.resolve("mariadb.key").toString());
        }
        // --tmpdir: the installer's bootstrap server deletes every #sql* file in its tmpdir too (see below)
        asUser("mysql", "mariadb-install-db", "--no-defaults", "--datadir=" + data, "--tmpdir=" + data,
                "--auth-root-authentication-method=normal", "--skip-test-db");
        mariadbPort = freePort();
        // the server writes only in its own folder (the test's is the PostgreSQL server user's)
        Path socket = data.resolve("mariadb.sock");
        List<String> args = new ArrayList<>();
        if (isRoot()) {
            args.addAll(List.of("setpriv", "--reuid=mysql", "--regid=mysql", "--init-groups", "--"));
        }
        // its datadir as its tmpdir: a starting mariadbd deletes every #sql* file in its tmpdir, which in /tmp would
        // be the machine's own server's temporary tables in use (a concurrent test's query then fails)
        args.addAll(List.of(server.toString(), "--no-defaults", "--datadir=" + data, "--tmpdir=" + data,
                "--socket=" + socket,
                "--pid-file=" + data.resolve("mariadb.pid"), "--log-error=" + data.resolve("error.log"),
                "--bind-address=127.0.0.1", "--port=" + mariadbPort, "--skip-name-resolve", "--skip-log-bin",
                "--innodb-buffer-pool-size=32M", "--ssl-cert=" + dir.resolve("server.crt"),
                "--ssl-key=" + dir.resolve("mariadb.key"), "--ssl-ca=" + dir.resolve("ca.pem")));
        mariadb = new ProcessBuilder(args).redirectErrorStream(true)
                .redirectOutput(dir.resolve("mariadbd.out").toFile()).start();
        for (int i = 0; i < 300 && !Files.exists(socket) && mariadb.isAlive(); i++) {
            Thread.sleep(100);
        }
        run(dir, "mariadb", "--no-defaults", "--socket=" + socket, "-uroot", "-e",
                "CREATE USER 'ispdb'@'%'; GRANT ALL ON *.* TO 'ispdb'@'%'; CREATE DATABASE isp");
    }

    @AfterAll
    void stop() throws Exception {
        if (mariadb != null) {
            mariadb.destroy();
            if (!mariadb.waitFor(30, TimeUnit.SECONDS)) {
                mariadb.destroyForcibly();
            }
        }
        if (started) {
            asServerUser(pgCtl.toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private String url(String host, String ca) {
        return "jdbc:postgresql://" + host + ":" + port + "/postgres?user=postgres&sslmode=verify-full&sslrootcert="
                + dir.resolve(ca);
    }

    private String mariadbUrl(String host, String ca) {
        Assumptions.assumeTrue(mariadb != null, "no private MariaDB (see SKIPPED above)");
        return "jdbc:mariadb://" + host + ":" + mariadbPort + "/isp?user=ispdb&sslMode=verify-full&serverSslCert="
                + dir.resolve(ca);
    }

    @Test
    void mariadbVerifyFullWithTheCaConnects() {
        Cli.Run init = cli.run("init-schema", "--url", mariadbUrl("127.0.0.1", "ca.pem"));
        assertEquals(0, init.exitCode(), init::toString);
        Cli.Run status = cli.run("schema-status", "--url", mariadbUrl("127.0.0.1", "ca.pem"));
        assertEquals(0, status.exitCode(), status::toString);
    }

    @Test
    void mariadbAnotherCaIsRefused() {
        refused(cli.run("schema-status", "--url", mariadbUrl("127.0.0.1", "other-ca.pem")),
                "the server's certificate is not trusted");
    }

    @Test
    void mariadbAnotherHostNameIsRefused() {
        refused(cli.run("schema-status", "--url", mariadbUrl("localhost", "ca.pem")),
                "the server's certificate does not name the host of the URL");
    }

    @Test
    void verifyFullWithTheCaConnects() {
        Cli.Run init = cli.run("init-schema", "--url", url("127.0.0.1", "ca.pem"));
        assertEquals(0, init.exitCode(), init::toString);
        Cli.Run status = cli.run("schema-status", "--url", url("127.0.0.1", "ca.pem"));
        assertEquals(0, status.exitCode(), status::toString);
    }

    @Test
    void anotherCaIsRefused() {
        Cli.Run r = cli.run("schema-status", "--url", url("127.0.0.1", "other-ca.pem"));
        refused(r, "the server's certificate is not trusted");
    }

    @Test
    void anotherHostNameIsRefused() {
        Cli.Run r = cli.run("schema-status", "--url", url("localhost", "ca.pem"));
        refused(r, "the server's certificate does not name the host of the URL");
    }

    private static void refused(Cli.Run r, String words) {
        assertEquals(3, r.exitCode(), r::toString);
        assertTrue(r.err().startsWith("ispdb: cannot connect to ") && r.err().contains(words), r::toString);
        assertEquals(1, r.err().strip().lines().count(), r::toString);
        assertFalse(r.out().contains("Exception") || r.err().contains("\tat "), r::toString);
    }

    /** A CA, a server certificate for 127.0.0.1 only (key readable by the server's user), and a second CA. */
    private static void certificates(Path dir) throws Exception {
        String ec = "ec";
        run(dir, "openssl", "req", "-x509", "-newkey", ec, "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=ispdb test CA");
        run(dir, "openssl", "req", "-x509", "-newkey", ec, "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "other-ca.key", "-out", "other-ca.pem", "-days", "2", "-subj", "/CN=another CA");
        run(dir, "openssl", "req", "-newkey", ec, "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
        Files.writeString(dir.resolve("san.cnf"), "subjectAltName=IP:127.0.0.1\n");
        run(dir, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "san.cnf");
        Files.setPosixFilePermissions(dir.resolve("server.key"), PosixFilePermissions.fromString("rw-------"));
        if (isRoot()) {
            run(dir, "chown", "postgres:postgres", dir.resolve("server.key").toString(), dir.toString());
        }
    }

    private void asServerUser(String... command) throws Exception {
        asUser("postgres", command);
    }

    private void asUser(String user, String... command) throws Exception {
        List<String> args = new ArrayList<>();
        if (isRoot()) {
            args.addAll(List.of("setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups", "--"));
        }
        args.addAll(List.of(command));
        run(dir, args.toArray(String[]::new));
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("commands.log").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + ": "
                    + Files.readString(dir.resolve("commands.log")));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Path postgresBin() throws IOException {
        Path lib = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(lib)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(lib)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.naturalOrder()).orElse(null);
        }
    }
}
