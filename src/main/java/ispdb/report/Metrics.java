package ispdb.report;

import ispdb.files.OutputFile;
import ispdb.load.LoadResult;
import java.io.IOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run's metrics in Prometheus' text exposition format, for node_exporter's textfile collector: one file that
 * several commands share, each replacing its own series (labelled {@code command="..."}) and keeping the others'.
 * The file is read, merged and replaced atomically ({@link OutputFile}) under a lock ({@code .NAME.lock} beside it),
 * so two commands ending at once both keep their series.
 */
public final class Metrics {
    /** The series ispdb writes, in this order, with their help text. */
    private static final Map<String, String> SERIES = new LinkedHashMap<>();

    static {
        SERIES.put("ispdb_last_run_timestamp_seconds", "When the command last ended (Unix time).");
        SERIES.put("ispdb_last_success_timestamp_seconds", "When the command last ended with exit code 0 (Unix time).");
        SERIES.put("ispdb_last_exit_code", "The exit code of the command's last run.");
        SERIES.put("ispdb_duration_seconds", "How long the command's last run took.");
        SERIES.put("ispdb_rows_loaded", "Rows the command's last run loaded, per table.");
        SERIES.put("ispdb_rows_rejected", "Rows the command's last run rejected, per table.");
        SERIES.put("ispdb_rows_deleted", "Rows the command's last run deleted, per table.");
    }

    private static final String SUCCESS = "ispdb_last_success_timestamp_seconds";
    /** The lock file is opened so: made if need be (owner-only), never truncated. */
    private static final java.util.Set<StandardOpenOption> LOCK_OPTIONS = java.util.Set.of(StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);

    /** One sample: its metric, labels in order and value as written. */
    record Sample(String name, Map<String, String> labels, String value) {
    }

    /**
     * What one run reports.
     *
     * @param endSeconds when it ended (Unix time)
     * @param counts what its loads did (empty: it loaded nothing, or failed before it could say)
     * @param deleted the rows it deleted, per table name (prune-predictions; empty for the others)
     */
    public record Run(String command, double endSeconds, double seconds, int exitCode, List<LoadResult.Count> counts,
            Map<String, Long> deleted) {
        /** A run that deleted nothing. */
        public Run(String command, double endSeconds, double seconds, int exitCode, List<LoadResult.Count> counts) {
            this(command, endSeconds, seconds, exitCode, counts, Map.of());
        }
    }

    private Metrics() {
    }

    /**
     * Checks the file against the rules of every file ispdb writes, and that its folder takes the lock file, before
     * the command's work (a usage error, exit code 2, in one sentence).
     */
    public static void check(String option, Path given, List<Path> databases, List<Path> inputs) {
        OutputFile.Target target = OutputFile.check(option, given, OutputFile.Kind.METRICS, databases, inputs);
        if (target.where() == OutputFile.Where.FILE) {
            Path lockFile = lockFile(target.path());
            try (FileChannel channel = FileChannel.open(lockFile, LOCK_OPTIONS, OutputFile.privateFile())) {
                // there, for the end of the run
            } catch (java.nio.file.AccessDeniedException e) {
                throw ispdb.IspdbException.usage("cannot write " + target.named() + ": you may not write in "
                        + lockFile.toAbsolutePath().getParent());
            } catch (IOException e) {
                throw ispdb.IspdbException.usage("cannot write " + target.named() + ": " + OutputFile.reason(e));
            }
        }
    }

    /** The lock file of a metrics file: hidden, beside it, and not NAME.prom (the collector reads only those). */
    private static Path lockFile(Path file) {
        return file.resolveSibling("." + file.getFileName() + ".lock");
    }

    /**
     * Writes {@code run}'s series into the file, keeping the other commands' (and this command's last success when
     * the run failed). A usage error (exit code 2) if it cannot be written.
     */
    public static void write(String option, Path given, List<Path> databases, List<Path> inputs, Run run) {
        OutputFile.Target target = OutputFile.check(option, given, OutputFile.Kind.METRICS, databases, inputs);
        if (target.where() != OutputFile.Where.FILE) {
            writeTo(option, given, databases, inputs, render(merge(List.of(), run)));
            return;
        }
        Path file = target.path();
        synchronized (Metrics.class) {
            try (FileChannel channel = FileChannel.open(lockFile(file), LOCK_OPTIONS, OutputFile.privateFile());
                    FileLock lock = channel.lock()) {
                List<Sample> before = Files.isRegularFile(file)
                        ? parse(Files.readString(file, StandardCharsets.UTF_8)) : List.of();
                writeTo(option, given, databases, inputs, render(merge(before, run)));
            } catch (IOException e) {
                throw ispdb.IspdbException.usage("cannot write " + target.named() + ": " + OutputFile.reason(e));
            }
        }
    }

    private static void writeTo(String option, Path given, List<Path> databases, List<Path> inputs, String text) {
        try (OutputFile out = OutputFile.open(option, given, OutputFile.Kind.METRICS, databases, inputs, false)) {
            try {
                out.writer().write(text);
            } catch (IOException e) {
                throw out.failed(e);
            }
            out.commit();
        }
    }

    /** The samples of the file's other commands, then this run's (and its last success, kept if it failed). */
    static List<Sample> merge(List<Sample> before, Run run) {
        List<Sample> samples = new ArrayList<>();
        String lastSuccess = null;
        for (Sample s : before) {
            if (!run.command().equals(s.labels().get("command"))) {
                samples.add(s);
            } else if (s.name().equals(SUCCESS)) {
                lastSuccess = s.value();
            }
        }
        Map<String, String> command = Map.of("command", run.command());
        String end = seconds(run.endSeconds());
        samples.add(new Sample("ispdb_last_run_timestamp_seconds", command, end));
        String success = run.exitCode() == 0 ? end : lastSuccess;
        if (success != null) {
            samples.add(new Sample(SUCCESS, command, success));
        }
        samples.add(new Sample("ispdb_last_exit_code", command, Integer.toString(run.exitCode())));
        samples.add(new Sample("ispdb_duration_seconds", command, seconds(run.seconds())));
        Map<String, long[]> tables = new TreeMap<>();
        for (LoadResult.Count c : run.counts()) {
            String table = c.table() != null ? c.table().tableName() : c.name();
            long[] rows = tables.computeIfAbsent(table, t -> new long[2]);
            rows[0] += c.loaded();
            rows[1] += c.rejected();
        }
        tables.forEach((table, rows) -> {
            Map<String, String> labels = new LinkedHashMap<>(command);
            labels.put("table", table);
            samples.add(new Sample("ispdb_rows_loaded", labels, Long.toString(rows[0])));
            samples.add(new Sample("ispdb_rows_rejected", labels, Long.toString(rows[1])));
        });
        new TreeMap<>(run.deleted()).forEach((table, rows) -> {
            Map<String, String> labels = new LinkedHashMap<>(command);
            labels.put("table", table);
            samples.add(new Sample("ispdb_rows_deleted", labels, Long.toString(rows)));
        });
        return samples;
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }

    /** The text format: each metric's HELP and TYPE, then its samples, ordered by labels (ispdb's metrics first). */
    static String render(List<Sample> samples) {
        Map<String, List<Sample>> byName = new LinkedHashMap<>();
        SERIES.keySet().forEach(name -> byName.put(name, new ArrayList<>()));
        for (Sample s : samples) {
            byName.computeIfAbsent(s.name(), n -> new ArrayList<>()).add(s);
        }
        StringBuilder text = new StringBuilder();
        byName.forEach((name, list) -> {
            if (list.isEmpty()) {
                return;
            }
            text.append("# HELP ").append(name).append(' ')
                    .append(SERIES.getOrDefault(name, "A metric ispdb found in the file.")).append('\n');
            text.append("# TYPE ").append(name).append(" gauge\n");
            list.stream().sorted(java.util.Comparator.comparing(s -> labels(s.labels()))).forEach(s ->
                    text.append(name).append(labels(s.labels())).append(' ').append(s.value()).append('\n'));
        });
        return text.toString();
    }

    private static String labels(Map<String, String> labels) {
        if (labels.isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        labels.forEach((k, v) -> parts.add(k + "=\"" + v.replace("\\", "\\\\").replace("\"", "\\\"")
                .replace("\n", "\\n") + "\""));
        return "{" + String.join(",", parts) + "}";
    }

    /** The samples of a file in the text format (comments and lines it cannot read are left out). */
    static List<Sample> parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int i = 0;
            while (i < line.length() && (Character.isLetterOrDigit(line.charAt(i)) || line.charAt(i) == '_'
                    || line.charAt(i) == ':')) {
                i++;
            }
            String name = line.substring(0, i);
            Map<String, String> labels = new LinkedHashMap<>();
            if (i < line.length() && line.charAt(i) == '{') {
                i++;
                while (i < line.length() && line.charAt(i) != '}') {
                    int eq = line.indexOf('=', i);
                    if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
                        break;
                    }
                    String key = line.substring(i, eq).strip();
                    StringBuilder value = new StringBuilder();
                    int j = eq + 2;
                    for (; j < line.length() && line.charAt(j) != '"'; j++) {
                        char c = line.charAt(j);
                        if (c == '\\' && j + 1 < line.length()) {
                            char n = line.charAt(++j);
                            value.append(n == 'n' ? '\n' : n);
                        } else {
                            value.append(c);
                        }
                    }
                    labels.put(key, value.toString());
                    i = j + 1;
                    if (i < line.length() && line.charAt(i) == ',') {
                        i++;
                    }
                }
                i++;
            }
            String[] rest = i <= line.length() ? line.substring(Math.min(i, line.length())).strip().split("\\s+") : new String[0];
            if (!name.isEmpty() && rest.length > 0 && !rest[0].isEmpty()) {
                samples.add(new Sample(name, labels, rest[0]));
            }
        }
        return samples;
    }
}
