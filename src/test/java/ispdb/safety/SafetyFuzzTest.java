package ispdb.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import ispdb.testing.Cli;
import ispdb.testing.Fixtures;
import ispdb.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input, property-based: a valid transactions export, damaged at random (truncated, random and NUL bytes,
 * broken quotes, swapped columns, huge and empty fields, invalid UTF-8, duplicated keys, odd line ends, indented
 * lines, ...), is
 * loaded with the real command line into a fresh copy of one SQLite database, many times over.
 *
 * <p>Whatever the input, in the default mode ispdb exits 0 or 1, never shows a stack trace, names a line when it
 * rejects the file, and then leaves the database exactly as it was; with {@code --on-error skip} it exits 0, 1 or
 * 4, every row read is either loaded or rejected, and the reject file holds each rejected row exactly as it stood
 * in the input.
 *
 * <p>Each try is reproducible from its seed: the base seed is random per run unless {@code -Dispdb.fuzz.seed=N}
 * is given, the number of tries per mode is {@code -Dispdb.fuzz.tries} (default 100). A failing input is kept in
 * {@code target/fuzz-failures/}.
 */
class SafetyFuzzTest {
    static final int TRIES = Integer.getInteger("ispdb.fuzz.tries", 100);
    static final long BASE_SEED = Long.getLong("ispdb.fuzz.seed", new Random().nextLong());
    static final Pattern SUMMARY = Pattern.compile(
            "loaded (\\d+)(?: of (\\d+))? rows? into fact_transaction(?:; rejected (\\d+) \\(see [^)]*\\))? in .*");

    @TempDir
    static Path tmp;

    static TestDatabase db;
    static Path dbFile;
    static Path base;
    static String baseSnapshot;
    static long baseRows;
    static byte[] valid;

    @BeforeAll
    static void baseDatabase() throws IOException {
        db = TestDatabase.create(TestDatabase.Kind.SQLITE, tmp);
        Cli cli = new Cli();
        assertEquals(0, cli.run("init-schema", "--url", db.url()).exitCode());
        Cli.Run load = cli.run("load-csv", "--url", db.url(), "--dir", Fixtures.exportFolder(tmp).toString());
        assertEquals(0, load.exitCode(), load::toString);
        dbFile = Path.of(db.url().substring("jdbc:sqlite:".length()));
        base = tmp.resolve("base.sqlite");
        Files.copy(dbFile, base);
        baseSnapshot = db.snapshot();
        baseRows = db.count("SELECT COUNT(*) FROM fact_transaction");
        StringBuilder csv = new StringBuilder("transaction_id,customer_id,payment_method_id,transaction_date,amount\n");
        for (int i = 0; i < 30; i++) {
            long id = 100 + i;
            String date = "2023-0" + (1 + i % 9) + "-1" + (i % 10) + (i % 3 == 0 ? "T08:15:00" : " 23:59:59.123456");
            String amount = (i * 37 % 500) + "." + (i % 10) + "5";
            csv.append(id).append(',').append(i % 5).append(',').append(i % 5).append(',')
                    .append(i % 4 == 0 ? "\"" + date + "\"" : date).append(',')
                    .append(i % 7 == 0 ? "\"" + amount + "\"" : amount).append('\n');
        }
        valid = csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    @AfterAll
    static void dropDatabase() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void theValidFileLoads() throws IOException {
        fresh();
        Path file = Fixtures.write(tmp, "valid.csv", valid);
        Cli.Run r = new Cli().run("load-csv", "--url", db.url(), "--table", "transactions", file.toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(baseRows + 30, db.count("SELECT COUNT(*) FROM fact_transaction"));
    }

    /** One damage the property found, for good: spaces that begin a row are part of its first field and its text. */
    @Test
    void anIndentedRowIsReadAndRejectedVerbatim() throws IOException {
        fresh();
        Path file = Fixtures.write(tmp, "indented.csv", "transaction_id,customer_id,payment_method_id,"
                + "transaction_date,amount\n  200,0,0,2023-01-01,x\n \"201\",0,0,2023-01-01,1.5\n202,0,0,2023-01-01,2\n");
        Path rejects = tmp.resolve("indented-rejects.csv");
        Cli.Run r = new Cli().run("load-csv", "--url", db.url(), "--table", "transactions", file.toString(),
                "--on-error", "skip", "--reject-file", rejects.toString());
        assertEquals(4, r.exitCode(), r::toString);
        List<List<String>> written = parseAll(Files.readString(rejects, StandardCharsets.UTF_8));
        assertEquals(List.of(List.of("2", "transaction_id", "  200,0,0,2023-01-01,x"),
                List.of("3", "transaction_id", " \"201\",0,0,2023-01-01,1.5")),
                written.subList(1, written.size()).stream().map(w -> List.of(w.get(1), w.get(2), w.get(4))).toList());
        assertEquals(baseRows + 1, db.count("SELECT COUNT(*) FROM fact_transaction"));
    }

    @Test
    void damagedFilesAreLoadedOrRejectedWholeInTheDefaultMode() throws IOException {
        int[] exits = new int[5];
        for (int t = 0; t < TRIES; t++) {
            long seed = BASE_SEED + t;
            Mutated m = mutate(new Random(seed));
            Path file = Fixtures.write(tmp, "try.csv", m.bytes);
            fresh();
            Cli.Run r = new Cli().run("load-csv", "--url", db.url(), "--table", "transactions", file.toString());
            exits[Math.min(r.exitCode(), 4)]++;
            Check c = new Check(seed, m, r);
            c.noStackTrace();
            if (r.exitCode() == 1) {
                c.that(Pattern.compile(":\\d+:").matcher(r.err()).find(), "the error names no line");
                String now = db.snapshot();
                c.that(baseSnapshot.equals(now), "the database changed although the load was rejected:\n" + baseSnapshot + "\n" + now);
            } else if (r.exitCode() == 0) {
                Matcher s = SUMMARY.matcher(r.out().strip());
                c.that(s.matches(), "no summary line");
                long loaded = Long.parseLong(s.group(1));
                c.that(s.group(2) == null && s.group(3) == null, "a default-mode load reports skipped rows");
                c.that(db.count("SELECT COUNT(*) FROM fact_transaction") == baseRows + loaded,
                        "the table did not grow by the rows reported loaded");
                List<Row> rows = m.rows();
                c.that(rows != null && rows.size() == loaded, "loaded " + loaded + " rows, the file has "
                        + (rows == null ? "no readable rows" : rows.size()));
            } else {
                c.fail("exit code " + r.exitCode() + ", expected 0 or 1");
            }
        }
        report("default mode", exits);
    }

    @Test
    void damagedFilesLoadTheirGoodRowsAndRejectTheOthersVerbatimInSkipMode() throws IOException {
        int[] exits = new int[5];
        Path rejects = tmp.resolve("rejects").resolve("rejects.csv");
        Files.createDirectories(rejects.getParent());
        for (int t = 0; t < TRIES; t++) {
            long seed = BASE_SEED + 1_000_000 + t;
            Mutated m = mutate(new Random(seed));
            Path file = Fixtures.write(tmp, "try.csv", m.bytes);
            fresh();
            Files.deleteIfExists(rejects);
            Cli.Run r = new Cli().run("load-csv", "--url", db.url(), "--table", "transactions", file.toString(),
                    "--on-error", "skip", "--reject-file", rejects.toString());
            exits[Math.min(r.exitCode(), 4)]++;
            Check c = new Check(seed, m, r);
            c.noStackTrace();
            try (Stream<Path> left = Files.list(rejects.getParent())) {
                c.that(left.allMatch(rejects::equals), "a temporary reject file was left behind");
            }
            if (r.exitCode() == 1) {
                c.that(Pattern.compile(":\\d+:").matcher(r.err()).find(), "the error names no line");
                c.that(baseSnapshot.equals(db.snapshot()), "the database changed although the load was rejected");
                c.that(!Files.exists(rejects), "a reject file was written although the load was rejected");
            } else if (r.exitCode() == 0 || r.exitCode() == 4) {
                Matcher s = SUMMARY.matcher(r.out().strip());
                c.that(s.matches(), "no summary line");
                long loaded = Long.parseLong(s.group(1));
                long read = s.group(2) == null ? loaded : Long.parseLong(s.group(2));
                long rejected = s.group(3) == null ? 0 : Long.parseLong(s.group(3));
                c.that(loaded + rejected == read, "loaded " + loaded + " + rejected " + rejected + " != read " + read);
                c.that((rejected > 0) == (r.exitCode() == 4), "exit code " + r.exitCode() + " with " + rejected
                        + " rejected");
                c.that(db.count("SELECT COUNT(*) FROM fact_transaction") == baseRows + loaded,
                        "the table did not grow by the rows reported loaded");
                List<Row> rows = m.rows();
                c.that(rows != null && rows.size() == read, "read " + read + " rows, the file has "
                        + (rows == null ? "no readable rows" : rows.size()));
                Map<Long, String> byLine = new HashMap<>();
                rows.forEach(row -> byLine.put(row.line, row.text));
                c.that(Files.exists(rejects), "no reject file");
                List<List<String>> written = parseAll(Files.readString(rejects, StandardCharsets.UTF_8));
                c.that(written != null && !written.isEmpty(), "the reject file is not CSV");
                c.that(written.get(0).equals(List.of("file", "line", "column", "problem", "row")),
                        "the reject file's header is " + written.get(0));
                c.that(written.size() - 1 == rejected, "the reject file has " + (written.size() - 1)
                        + " rows, the summary says " + rejected);
                Set<Long> lines = new HashSet<>();
                for (List<String> reject : written.subList(1, written.size())) {
                    c.that(reject.size() == 5, "a reject row with " + reject.size() + " fields: " + reject);
                    c.that(reject.get(0).equals(file.toString()), "the reject names the file " + reject.get(0));
                    long line = Long.parseLong(reject.get(1));
                    c.that(lines.add(line), "line " + line + " rejected twice");
                    c.that(byLine.containsKey(line), "line " + line + " is not where a row starts");
                    c.that(reject.get(4).equals(byLine.get(line)), "line " + line + " is not verbatim in the reject "
                            + "file: " + show(reject.get(4)) + " instead of " + show(byLine.get(line)));
                }
                if (r.exitCode() == 4) {
                    c.that(Files.getPosixFilePermissions(rejects).equals(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")),
                            "the reject file is readable by others");
                }
            } else {
                c.fail("exit code " + r.exitCode() + ", expected 0, 1 or 4");
            }
        }
        report("skip mode", exits);
    }

    private static void report(String mode, int[] exits) {
        System.out.println("SafetyFuzzTest " + mode + ": " + TRIES + " tries from seed " + BASE_SEED + ": exit 0 "
                + exits[0] + "x, exit 1 " + exits[1] + "x, exit 4 " + exits[4] + "x");
    }

    /** The database file as it was before any try. */
    private static void fresh() throws IOException {
        for (String suffix : new String[] {"-journal", "-wal", "-shm"}) {
            Files.deleteIfExists(Path.of(dbFile + suffix));
        }
        Files.copy(base, dbFile, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The damaged input, and the damage done. */
    record Mutated(byte[] bytes, List<String> damage) {
        /**
         * The file's data rows as an RFC 4180 reader sees them (their first line and text), or null where the
         * file is not readable as UTF-8 CSV at all.
         */
        List<Row> rows() {
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                return null;
            }
            if (text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
            List<Row> rows = parse(text);
            return rows == null || rows.isEmpty() ? null : rows.subList(1, rows.size());
        }
    }

    /** A record of a CSV text: its first physical line, its text without the line end, its fields. */
    record Row(long line, String text, List<String> fields) {
    }

    /**
     * The records of a CSV text (RFC 4180; a quote opens a quoted field only as its first character; lines that
     * are empty or white space only are skipped), or null if its quoting is broken. This is a model of the reader,
     * written independently of it.
     */
    static List<Row> parse(String s) {
        List<Row> rows = new ArrayList<>();
        int n = s.length();
        int i = 0;
        long line = 1;
        while (i < n) {
            int start = i;
            long startLine = line;
            List<String> fields = new ArrayList<>();
            while (true) {
                StringBuilder f = new StringBuilder();
                if (i < n && s.charAt(i) == '"') {
                    i++;
                    while (true) {
                        if (i >= n) {
                            return null; // no closing quote
                        }
                        char c = s.charAt(i);
                        if (c == '"') {
                            if (i + 1 < n && s.charAt(i + 1) == '"') {
                                f.append('"');
                                i += 2;
                                continue;
                            }
                            i++;
                            break;
                        }
                        if (c == '\n' && !(i > 0 && s.charAt(i - 1) == '\r') || c == '\r') {
                            line++;
                        }
                        f.append(c);
                        i++;
                    }
                    // the parser lets white space and control characters follow a closing quote, and drops them
                    while (i < n && s.charAt(i) <= ' ' && s.charAt(i) != '\r' && s.charAt(i) != '\n') {
                        i++;
                    }
                    if (i < n && s.charAt(i) != ',' && s.charAt(i) != '\r' && s.charAt(i) != '\n') {
                        return null; // text after a closing quote
                    }
                } else {
                    while (i < n && s.charAt(i) != ',' && s.charAt(i) != '\r' && s.charAt(i) != '\n') {
                        f.append(s.charAt(i++));
                    }
                }
                fields.add(f.toString());
                if (i < n && s.charAt(i) == ',') {
                    i++;
                    continue;
                }
                break;
            }
            String text = s.substring(start, i);
            if (!(fields.size() == 1 && text.isBlank())) { // blank lines are skipped
                rows.add(new Row(startLine, text, fields));
            }
            if (i < n) {
                i += s.charAt(i) == '\r' && i + 1 < n && s.charAt(i + 1) == '\n' ? 2 : 1;
                line++;
            }
        }
        return rows;
    }

    static List<List<String>> parseAll(String s) {
        List<Row> rows = parse(s);
        return rows == null ? null : rows.stream().map(Row::fields).toList();
    }

    /** One try's verdicts; a failure names the seed, the damage and the input, and keeps the input. */
    static final class Check {
        final long seed;
        final Mutated m;
        final Cli.Run run;

        Check(long seed, Mutated m, Cli.Run run) {
            this.seed = seed;
            this.m = m;
            this.run = run;
        }

        void noStackTrace() {
            that(!run.err().contains("\tat ") && !run.err().contains("Exception") && !run.out().contains("\tat "),
                    "a stack trace");
            that(!run.err().contains("internal error"), "an internal error");
        }

        void that(boolean ok, String problem) {
            if (!ok) {
                fail(problem);
            }
        }

        void fail(String problem) {
            Path kept = Path.of("target", "fuzz-failures", "seed-" + seed + ".csv");
            try {
                Files.createDirectories(kept.getParent());
                Files.write(kept, m.bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            org.junit.jupiter.api.Assertions.fail(problem + "\nseed " + seed + " (rerun with -Dispdb.fuzz.seed="
                    + seed + " -Dispdb.fuzz.tries=1; input kept in " + kept.toAbsolutePath() + ")\ndamage: "
                    + m.damage + "\ninput: " + show(new String(m.bytes, StandardCharsets.ISO_8859_1)) + "\n" + run);
        }
    }

    static String show(String s) {
        StringBuilder b = new StringBuilder();
        String t = s.length() > 1500 ? s.substring(0, 1500) + "...(" + s.length() + " chars)" : s;
        for (char c : t.toCharArray()) {
            if (c == '\n') {
                b.append("\\n\n");
            } else if (c < 0x20 || c >= 0x7f && c < 0xa0) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    // ---- the damage ----

    static final byte[][] BAD_UTF8 = {
        {(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0x80}, {(byte) 0xC0, (byte) 0xAF},
        {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
        {(byte) 0xE2, (byte) 0x82}, {(byte) 0xFE, (byte) 0xFF}};

    static Mutated mutate(Random r) {
        List<String> damage = new ArrayList<>();
        byte[] b = valid;
        int count = 1 + r.nextInt(3);
        for (int k = 0; k < count; k++) {
            b = damage(r, b, damage);
        }
        return new Mutated(b, damage);
    }

    private static byte[] damage(Random r, byte[] b, List<String> damage) {
        int kind = r.nextInt(21);
        switch (kind) {
            case 0 -> {
                int at = b.length == 0 ? 0 : r.nextInt(b.length + 1);
                damage.add("truncated at " + at);
                return Arrays.copyOf(b, at);
            }
            case 1 -> {
                byte[] c = b.clone();
                int n = 1 + r.nextInt(6);
                for (int i = 0; i < n && c.length > 0; i++) {
                    c[r.nextInt(c.length)] = (byte) r.nextInt(256);
                }
                damage.add(n + " random bytes overwritten");
                return c;
            }
            case 2 -> {
                byte[] junk = new byte[1 + r.nextInt(8)];
                r.nextBytes(junk);
                damage.add("random bytes inserted");
                return insert(b, r.nextInt(b.length + 1), junk);
            }
            case 3 -> {
                damage.add("a quote inserted");
                return insert(b, r.nextInt(b.length + 1), new byte[] {'"'});
            }
            case 4 -> {
                List<Integer> quotes = positions(b, (byte) '"');
                if (quotes.isEmpty()) {
                    return damage(r, b, damage);
                }
                int at = quotes.get(r.nextInt(quotes.size()));
                damage.add("a quote removed");
                return remove(b, at, 1);
            }
            case 5 -> {
                damage.add("a field opened with a quote that is never closed");
                return editField(r, b, f -> "\"" + f);
            }
            case 6 -> {
                damage.add("a field with a doubled quote inside quotes, and a lone one");
                return editField(r, b, f -> r.nextBoolean() ? "\"" + f + "\"\"x\"" : f + "\"" + f);
            }
            case 7 -> {
                List<String> lines = lines(b);
                int line = r.nextInt(lines.size());
                String[] f = lines.get(line).split(",", -1);
                if (f.length < 2) {
                    return damage(r, b, damage);
                }
                int x = r.nextInt(f.length);
                int y = r.nextInt(f.length);
                String t = f[x];
                f[x] = f[y];
                f[y] = t;
                lines.set(line, String.join(",", f));
                damage.add("fields " + x + " and " + y + " swapped on line " + (line + 1));
                return join(lines);
            }
            case 8 -> {
                int x = r.nextInt(5);
                int y = r.nextInt(5);
                List<String> lines = lines(b);
                for (int i = 0; i < lines.size(); i++) {
                    String[] f = lines.get(i).split(",", -1);
                    if (f.length == 5) {
                        String t = f[x];
                        f[x] = f[y];
                        f[y] = t;
                        lines.set(i, String.join(",", f));
                    }
                }
                damage.add("columns " + x + " and " + y + " swapped on every line");
                return join(lines);
            }
            case 9 -> {
                int size = switch (r.nextInt(4)) {
                    case 0 -> 100_000;
                    case 1 -> (1 << 20) - 10;
                    case 2 -> (1 << 20) + 1;
                    default -> 3_000_000;
                };
                char c = r.nextBoolean() ? '7' : 'x';
                boolean quoted = r.nextBoolean();
                damage.add("a field of " + size + " '" + c + "'" + (quoted ? ", quoted" : ""));
                String huge = String.valueOf(c).repeat(size);
                return editField(r, b, f -> quoted ? "\"" + huge + "\"" : huge);
            }
            case 10 -> {
                damage.add("a field emptied");
                return editField(r, b, f -> "");
            }
            case 11 -> {
                damage.add("a NUL byte inserted");
                return insert(b, r.nextInt(b.length + 1), new byte[] {0});
            }
            case 12 -> {
                byte[] bad = BAD_UTF8[r.nextInt(BAD_UTF8.length)];
                boolean atEnd = r.nextInt(4) == 0;
                damage.add("invalid UTF-8 " + hex(bad) + (atEnd ? " at the end" : ""));
                return insert(b, atEnd ? b.length : r.nextInt(b.length + 1), bad);
            }
            case 13 -> {
                List<String> lines = lines(b);
                if (lines.size() < 2) {
                    return damage(r, b, damage);
                }
                int from = 1 + r.nextInt(lines.size() - 1);
                int to = 1 + r.nextInt(lines.size());
                lines.add(Math.min(to, lines.size()), lines.get(from));
                damage.add("line " + (from + 1) + " duplicated");
                return join(lines);
            }
            case 14 -> {
                long existing = 1 + r.nextInt(5);
                damage.add("a key already in the table: " + existing);
                return editField(r, b, 0, f -> Long.toString(existing));
            }
            case 15 -> {
                List<String> lines = lines(b);
                int line = r.nextInt(lines.size());
                String l = lines.get(line);
                boolean add = r.nextBoolean() || l.indexOf(',') < 0;
                lines.set(line, add ? l + ",extra" : l.substring(0, l.lastIndexOf(',')));
                damage.add((add ? "a field added to" : "a field removed from") + " line " + (line + 1));
                return join(lines);
            }
            case 16 -> {
                List<String> lines = lines(b);
                int line = r.nextInt(lines.size());
                lines.set(line, lines.get(line) + ",1".repeat(5000));
                damage.add("5000 fields added to line " + (line + 1));
                return join(lines);
            }
            case 17 -> {
                String s = new String(b, StandardCharsets.ISO_8859_1);
                int how = r.nextInt(4);
                damage.add(new String[] {"CRLF line ends", "CR line ends", "blank lines", "a byte-order mark"}[how]);
                String t = switch (how) {
                    case 0 -> s.replace("\n", "\r\n");
                    case 1 -> s.replace("\n", "\r");
                    case 2 -> s.replace("\n", r.nextBoolean() ? "\n\n" : "\n   \n");
                    default -> "\u00EF\u00BB\u00BF" + s;
                };
                return t.getBytes(StandardCharsets.ISO_8859_1);
            }
            case 18 -> {
                List<String> lines = lines(b);
                int line = r.nextInt(lines.size());
                lines.remove(line);
                damage.add("line " + (line + 1) + " removed");
                return join(lines);
            }
            case 20 -> {
                List<String> lines = lines(b);
                int line = r.nextInt(lines.size());
                String indent = new String[] {" ", "   ", "\t", " \""}[r.nextInt(4)];
                lines.set(line, indent + lines.get(line));
                damage.add("line " + (line + 1) + " indented with '" + indent + "'");
                return join(lines);
            }
            default -> {
                int column = 1 + r.nextInt(2);
                damage.add("an unknown " + (column == 1 ? "customer" : "payment method"));
                return editField(r, b, column, f -> "999");
            }
        }
    }

    private static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte x : bytes) {
            s.append(String.format("%02X", x & 0xFF));
        }
        return s.toString();
    }

    private static byte[] editField(Random r, byte[] b, java.util.function.UnaryOperator<String> edit) {
        return editField(r, b, -1, edit);
    }

    /** Edits one field (of column {@code column}, or any) of a random data line. */
    private static byte[] editField(Random r, byte[] b, int column, java.util.function.UnaryOperator<String> edit) {
        List<String> lines = lines(b);
        if (lines.size() < 2) {
            return b;
        }
        int line = 1 + r.nextInt(lines.size() - 1);
        String[] f = lines.get(line).split(",", -1);
        int at = column >= 0 && column < f.length ? column : r.nextInt(f.length);
        f[at] = edit.apply(f[at]);
        lines.set(line, String.join(",", f));
        return join(lines);
    }

    /** The lines of a byte string, read as ISO-8859-1 so that every byte survives. */
    private static List<String> lines(byte[] b) {
        String s = new String(b, StandardCharsets.ISO_8859_1);
        List<String> lines = new ArrayList<>(Arrays.asList(s.split("\n", -1)));
        if (lines.size() > 1 && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    private static byte[] join(List<String> lines) {
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static List<Integer> positions(byte[] b, byte x) {
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < b.length; i++) {
            if (b[i] == x) {
                at.add(i);
            }
        }
        return at;
    }

    private static byte[] insert(byte[] b, int at, byte[] x) {
        byte[] c = new byte[b.length + x.length];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(x, 0, c, at, x.length);
        System.arraycopy(b, at, c, at + x.length, b.length - at);
        return c;
    }

    private static byte[] remove(byte[] b, int at, int n) {
        byte[] c = new byte[b.length - n];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(b, at + n, c, at, b.length - at - n);
        return c;
    }
}
