package ispdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ispdb.testing.Cli;
import ispdb.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --log-format json: one JSON object per line, with time, level, command, message and a summary's numbers, masked. */
class JsonLogTest {
    @TempDir
    Path tmp;

    static List<JsonNode> lines(Path log) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> objects = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            JsonNode node = mapper.readTree(line);
            assertTrue(node.isObject(), line);
            objects.add(node);
        }
        return objects;
    }

    @Test
    void aLoadLogsOneObjectPerLineWithItsNumbers() throws IOException {
        String url = "jdbc:sqlite:" + tmp.resolve("db.sqlite");
        assertEquals(0, new Cli().run("init-schema", "--url", url).exitCode());
        Path log = tmp.resolve("ispdb.log");
        Instant before = Instant.now().minusSeconds(1);
        Cli.Run load = new Cli().run("load-csv", "--url", url, "--table", "customers",
                Fixtures.write(tmp, "c.csv", Fixtures.CUSTOMERS).toString(), "--log-file", log.toString(),
                "--log-format", "json");
        assertEquals(0, load.exitCode(), load::toString);
        List<JsonNode> lines = lines(log);
        assertFalse(lines.isEmpty());
        for (JsonNode line : lines) {
            Instant time = Instant.parse(line.get("time").asText()); // ISO-8601, UTC
            assertTrue(!time.isBefore(before) && !time.isAfter(Instant.now()), line::toString);
            assertEquals("load-csv", line.get("command").asText(), line::toString);
            assertNotNull(line.get("level"), line::toString);
            assertNotNull(line.get("message"), line::toString);
        }
        JsonNode summary = lines.stream().filter(l -> l.has("loaded")).findFirst().orElseThrow();
        assertEquals("INFO", summary.get("level").asText());
        assertEquals(5, summary.get("read").asLong(), summary::toString);
        assertEquals(5, summary.get("loaded").asLong(), summary::toString);
        assertEquals(0, summary.get("skipped").asLong(), summary::toString);
        assertEquals(0, summary.get("rejected").asLong(), summary::toString);
        assertTrue(summary.get("seconds").isNumber(), summary::toString);
        JsonNode exit = lines.get(lines.size() - 1);
        assertEquals(0, exit.get("exit_code").asInt(), exit::toString);
        assertEquals("exit code 0", exit.get("message").asText());
        // the text format stays the default, and has the summary's line too
        Path text = tmp.resolve("text.log");
        Cli.Run again = new Cli().run("load-csv", "--url", url, "--table", "customers", tmp.resolve("c.csv").toString(),
                "--mode", "skip-existing", "--log-file", text.toString());
        assertEquals(0, again.exitCode(), again::toString);
        String logged = Files.readString(text, StandardCharsets.UTF_8);
        assertTrue(logged.contains(" INFO  [ispdb] loaded 0 of 5 rows (skipped 5, rejected 0) in "), logged);
        assertFalse(logged.contains("{\""), logged);
    }

    @Test
    void secretsAndQuotesAreMaskedAndEscaped() throws IOException {
        Path log = tmp.resolve("x.log");
        String url = "jdbc:mariadb://address=(host=127.0.0.1)(password=s3cr\"et)(port=1)/db?connectTimeout=5&user=u";
        Cli.Run r = new Cli().run("schema-status", "--url", url, "--log-file", log.toString(), "--log-format", "JSON");
        assertEquals(2, r.exitCode(), r::toString);
        String raw = Files.readString(log, StandardCharsets.UTF_8);
        assertFalse(raw.contains("s3cr"), raw);
        List<JsonNode> lines = lines(log);
        JsonNode error = lines.stream().filter(l -> l.get("level").asText().equals("ERROR")).findFirst().orElseThrow();
        assertTrue(error.get("message").asText().startsWith("--url jdbc:mariadb://address=(host=127.0.0.1)"
                + "(password=***"), error::toString);
        assertEquals("schema-status", error.get("command").asText());
    }

    @Test
    void theSettingsFileNamesTheFormatAndABadOneIsOneSentence() throws IOException {
        String url = "jdbc:sqlite:" + tmp.resolve("db.sqlite");
        assertEquals(0, new Cli().run("init-schema", "--url", url).exitCode());
        Path log = tmp.resolve("s.log");
        Path settings = Fixtures.write(tmp, "ispdb.properties", "log-format=json\nlog-file=s.log\n");
        Files.setPosixFilePermissions(settings, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Cli.Run r = new Cli().run("schema-status", "--url", url, "--config", settings.toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("schema-status", lines(log).get(0).get("command").asText());
        Path bad = Fixtures.write(tmp, "bad.properties", "log-format=xml\n");
        Files.setPosixFilePermissions(bad, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Cli.Run refused = new Cli().run("schema-status", "--url", url, "--config", bad.toString());
        assertEquals(2, refused.exitCode(), refused::toString);
        assertEquals("ispdb: log-format=xml in " + bad + ": not a log format (json or text)\n", refused.err());
        Cli.Run option = new Cli().run("schema-status", "--url", url, "--log-format", "xml");
        assertEquals(2, option.exitCode(), option::toString);
        assertTrue(option.err().startsWith("ispdb: --log-format: expected one of [TEXT, JSON]"), option::toString);
    }
}
