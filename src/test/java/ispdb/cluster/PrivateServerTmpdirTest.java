package ispdb.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every private MariaDB server the scripts start, and every datadir they install, has a tmpdir of its own: a starting
 * mariadbd (mariadb-install-db's bootstrap one too) deletes every #sql* file in its tmpdir, and in /tmp those are the
 * machine's own server's temporary tables in use, so a concurrent test's query failed with "Error on delete of
 * '/tmp/#sql-temptable-...'" (a CI run was lost to it). Reads the scripts, so a new script or call is covered by itself.
 */
class PrivateServerTmpdirTest {
    @Test
    void everyServerAndInstallInTheScriptsNamesItsOwnTmpdir() throws IOException {
        List<String> calls = new ArrayList<>();
        try (Stream<Path> scripts = Files.list(Path.of("scripts"))) {
            for (Path script : scripts.filter(Files::isRegularFile).sorted().toList()) {
                // one command per element: continuation lines joined
                String text = Files.readString(script, StandardCharsets.UTF_8).replace("\\\n", " ");
                for (String line : text.split("\n")) {
                    String code = line.strip();
                    // a comment, or --help (prints, starts no server)
                    if (code.startsWith("#") || code.contains(" --help")) {
                        continue;
                    }
                    if (code.matches(".*(mariadb-install-db|\"\\$mariadbd\") --.*")) {
                        calls.add(script.getFileName() + ": " + code);
                    }
                }
            }
        }
        assertFalse(calls.isEmpty(), "no mariadbd or mariadb-install-db call found in scripts/");
        List<String> without = calls.stream().filter(c -> !c.contains("--tmpdir=")).toList();
        assertEquals(List.of(), without, "calls without a --tmpdir of their own");
    }
}
