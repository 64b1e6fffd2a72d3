package ispdb.load;

import ispdb.ExitCodes;
import ispdb.IspdbException;
import ispdb.db.Database;
import ispdb.files.OutputFile;
import ispdb.model.Table;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A drop folder (ispdb ingest DIR): every complete CSV file in {@code DIR/incoming/}, oldest first (modification
 * time, then name), is loaded on its own, all or nothing, and moved to {@code DIR/done/YYYY-MM-DD/} (the UTC date of
 * the load) or, rejected, to {@code DIR/failed/} beside {@code NAME.reason}, the error sentence. Each file's table
 * is in its name ({@link CsvSource#tableOf}: {@code customers.csv}, {@code transactions-2026-12-06.csv.gz}) or,
 * failing that, its header (the columns of exactly one table).
 *
 * <p>A file still being written is left where it is: a name ending in {@code .part} or {@code .tmp} or starting
 * with {@code .}, a file modified less than the settle time ago, and a file whose size or modification time changed
 * between the listing of the folder and its load. Two runs on one folder never load the same file: a run holds an
 * exclusive lock on {@code DIR/.ispdb-ingest.lock}, and a second run finds it held and ends at once. A file the load
 * journal refuses (a predictions file loaded before) goes to failed/ with that reason. A failure of the database
 * itself (exit code 3: it cannot be reached, or refused to work) is not the file's: the file stays in incoming/ and
 * the run ends with that error. Moves are renames inside DIR; a name taken already gets a suffix (a.csv, a.1.csv).
 */
public final class DropFolder {
    private static final Logger LOG = LogManager.getLogger(DropFolder.class);
    /** The lock file in DIR that a run holds. */
    public static final String LOCK = ".ispdb-ingest.lock";

    /**
     * What became of one file: moved to {@code movedTo} (null if a loaded file could not be moved); {@code result}
     * if it loaded; {@code rejects}, the reject file of its bad rows (--on-error skip), if it had any; {@code
     * reason}, the sentence in its .reason file, if it has one.
     */
    public record Outcome(String name, Path movedTo, LoadResult result, Path rejects, String reason) {
        public boolean loaded() {
            return result != null;
        }
    }

    /**
     * What a run did: the files it loaded and those it rejected, in order, and whether another run held the folder
     * (then nothing was done).
     */
    public record Run(List<Outcome> outcomes, boolean busy) {
        /** 0 when every file loaded (or there was none), 1 when none did, 4 when some did not. */
        public int exitCode() {
            long failed = outcomes.stream().filter(o -> !o.loaded() || o.reason() != null).count();
            long loaded = outcomes.stream().filter(Outcome::loaded).count();
            return failed == 0 ? ExitCodes.OK : loaded == 0 ? ExitCodes.REJECTED : ExitCodes.PARTIAL;
        }
    }

    private record Candidate(Path path, String name, long size, Instant modified) {
    }

    private final Database db;
    private final Path dir;
    private final Path incoming;
    private final LoadOptions.Builder options;
    private final OnError onError;
    private final Duration settle;

    private DropFolder(Database db, Path dir, LoadOptions.Builder options, OnError onError, Duration settle) {
        this.db = db;
        this.dir = dir;
        this.incoming = dir.resolve("incoming");
        this.options = options;
        this.onError = onError;
        this.settle = settle;
    }

    /**
     * Loads the complete files in {@code DIR/incoming/} (created if DIR has none) and moves each, telling {@code told}
     * of each as it is done.
     *
     * @param options how to load (mode, CSV format, progress); the reject file and the journal's command are set here
     * @param onError with {@link OnError#SKIP} a file's bad rows go to {@code failed/NAME.rejects.csv}, the file,
     *     its good rows loaded, to done/, and {@code failed/NAME.reason} says how many rows were rejected
     */
    public static Run ingest(Database db, Path dir, LoadOptions.Builder options, OnError onError, Duration settle,
            Consumer<Outcome> told) {
        if (!Files.isDirectory(dir)) {
            throw IspdbException.usage(dir + " is not a folder (ingest takes the drop folder, which holds incoming/)");
        }
        DropFolder folder = new DropFolder(db, dir, options, onError, settle);
        try {
            Files.createDirectories(folder.incoming);
        } catch (IOException e) {
            throw IspdbException.usage("cannot create " + folder.incoming + ": " + OutputFile.reason(e));
        }
        try (FileChannel channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = tryLock(channel)) {
            if (lock == null) {
                return new Run(List.of(), true);
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Candidate c : folder.complete()) {
                Outcome o = folder.ingest(c);
                if (o != null) {
                    outcomes.add(o);
                    told.accept(o);
                }
            }
            return new Run(outcomes, false);
        } catch (IOException e) {
            throw IspdbException.usage("cannot lock the drop folder " + dir + " (" + LOCK + "): "
                    + OutputFile.reason(e));
        }
    }

    /** The folder's lock, or null if another run (another process, or another thread of this one) holds it. */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    /** The files of incoming/ that are complete, oldest first (modification time, then name). */
    private List<Candidate> complete() {
        List<Candidate> files = new ArrayList<>();
        Instant settled = Instant.now().minus(settle);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(incoming)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                String lower = name.toLowerCase(Locale.ROOT);
                if (name.startsWith(".") || lower.endsWith(".part") || lower.endsWith(".tmp")) {
                    continue;
                }
                Candidate c = observe(p);
                if (c == null) {
                    continue;
                }
                if (c.modified().isAfter(settled)) {
                    LOG.info("ingest: {} was modified less than {} s ago: left for a later run", name,
                            settle.toSeconds());
                    continue;
                }
                files.add(c);
            }
        } catch (IOException e) {
            throw IspdbException.usage("cannot read the folder " + incoming + ": " + OutputFile.reason(e));
        }
        files.sort(Comparator.comparing(Candidate::modified).thenComparing(Candidate::name));
        return files;
    }

    /** The file's size and modification time now, or null if it is not a regular file (any more). */
    private static Candidate observe(Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            return a.isRegularFile() ? new Candidate(p, p.getFileName().toString(), a.size(),
                    a.lastModifiedTime().toInstant()) : null;
        } catch (IOException e) {
            return null; // gone meanwhile
        }
    }

    /** Loads one file and moves it; null if it changed since the listing (left for a later run). */
    private Outcome ingest(Candidate listed) {
        Candidate now = observe(listed.path());
        if (!listed.equals(now)) {
            LOG.info("ingest: {} changed while this run looked at it: left for a later run", listed.name());
            return null;
        }
        Table table = CsvSource.tableOf(listed.name(), true).or(() -> fromHeader(listed.path())).orElse(null);
        if (table == null) {
            return reject(listed, listed.name() + " is not named after a table, and its header names the columns "
                    + "of no table: name each file after its table or alias (" + Table.allNames() + "), as "
                    + "TABLE.csv, TABLE.csv.gz or TABLE-ANYTHING.csv");
        }
        Path done = dir.resolve("done").resolve(java.time.LocalDate.now(ZoneOffset.UTC).toString());
        Path failed = dir.resolve("failed");
        Path rejects = null;
        Path[] moved = new Path[1];
        try {
            Files.createDirectories(done);
            if (onError == OnError.SKIP) {
                Files.createDirectories(failed);
                rejects = free(failed, listed.name() + ".rejects.csv");
            }
        } catch (IOException e) {
            throw IspdbException.usage("cannot create " + done + " or " + failed + ": " + OutputFile.reason(e));
        }
        LoadOptions load = options.onError(onError, rejects).part("the files loaded so far were moved to "
                + dir.resolve("done") + "; the file being loaded stays in " + incoming, () -> moved[0] =
                moveQuietly(listed.path(), done)).build();
        LoadResult result;
        try {
            result = Loader.load(db, List.of(CsvSource.of(table, listed.name(), listed.path())), load);
        } catch (IspdbException e) {
            if (e.exitCode() == ExitCodes.DATABASE) {
                throw e; // not the file's fault: it stays for the next run
            }
            return reject(listed, e.getMessage());
        }
        if (moved[0] == null) {
            LOG.warn("ingest: {} was loaded but could not be moved to {}", listed.name(), done);
        }
        String reason = null;
        if (rejects != null) {
            if (result.rejected() > 0) {
                reason = listed.name() + ": " + result.rejected() + " of " + result.read() + " rows were rejected "
                        + "(in " + rejects.getFileName() + "); the other rows were loaded and the file is in "
                        + (moved[0] == null ? incoming : moved[0]);
                writeReason(failed, rejects.getFileName().toString().replaceFirst("\\.rejects\\.csv$", ""), reason);
            } else {
                deleteQuietly(rejects);
            }
        }
        return new Outcome(listed.name(), moved[0], result, reason == null ? null : rejects, reason);
    }

    /**
     * The table whose columns the file's header names (plain or gzip, in the load's encoding and delimiter): every
     * column of the table but those a file may leave out (prediction_id, predicted_at), and no other; empty if none.
     */
    private java.util.Optional<Table> fromHeader(Path file) {
        LoadOptions load = options.build();
        String line;
        try (SourceBytes bytes = SourceBytes.open(Files.newInputStream(file));
                java.io.BufferedReader text = new java.io.BufferedReader(new java.io.InputStreamReader(
                        bytes.content(), load.encoding()))) {
            line = text.readLine();
        } catch (IOException e) {
            return java.util.Optional.empty(); // the load says what is wrong with the file
        }
        if (line == null) {
            return java.util.Optional.empty();
        }
        java.util.Set<String> header = new java.util.HashSet<>();
        for (String field : line.replace("\uFEFF", "").split(java.util.regex.Pattern.quote(
                String.valueOf(load.delimiter())), -1)) {
            header.add(field.strip().replace("\"", "").toLowerCase(Locale.ROOT));
        }
        for (Table t : Table.values()) {
            java.util.Set<String> all = new java.util.HashSet<>();
            boolean required = true;
            for (ispdb.model.Column c : t.columns()) {
                all.add(c.name());
                required &= c.optionalInHeader() || header.contains(c.name());
            }
            if (required && all.containsAll(header)) {
                return java.util.Optional.of(t);
            }
        }
        return java.util.Optional.empty();
    }

    /** Moves a file that could not be loaded to failed/ beside its reason. */
    private Outcome reject(Candidate c, String reason) {
        Path failed = dir.resolve("failed");
        try {
            Files.createDirectories(failed);
            Path to = move(c.path(), failed);
            writeReason(failed, to.getFileName().toString(), reason);
            LOG.warn("ingest: {} moved to {}: {}", c.name(), to, reason);
            return new Outcome(c.name(), to, null, null, reason);
        } catch (IOException e) {
            throw IspdbException.usage("cannot move " + c.path() + " to " + failed + ": " + OutputFile.reason(e));
        }
    }

    /** Writes {@code failed/NAME.reason}: the sentence and a line break. */
    private void writeReason(Path failed, String name, String reason) {
        try (OutputFile file = OutputFile.open("", failed.resolve(name + ".reason"), OutputFile.Kind.REASON,
                java.util.Collections.singletonList(db.file()), List.of(), false)) {
            file.writer().write(reason + System.lineSeparator());
            file.commit();
        } catch (IOException e) {
            throw IspdbException.usage("cannot write " + failed.resolve(name + ".reason") + ": "
                    + OutputFile.reason(e));
        }
    }

    /** {@link #move}, after a commit: a failure is logged (the file stays in incoming/) and gives null. */
    private static Path moveQuietly(Path file, Path folder) {
        try {
            return move(file, folder);
        } catch (IOException | RuntimeException e) {
            LOG.warn("ingest: cannot move {} to {}: {}", file, folder, e.toString());
            return null;
        }
    }

    /** Renames a file into {@code folder} under its name, or the first free one with a suffix (a.1.csv, ...). */
    private static Path move(Path file, Path folder) throws IOException {
        String name = file.getFileName().toString();
        for (int n = 0;; n++) {
            Path to = n == 0 ? folder.resolve(name) : free(folder, name, n);
            if (Files.exists(to) || Files.exists(to.resolveSibling(to.getFileName() + ".reason"))) {
                continue;
            }
            try {
                return Files.move(file, to); // no REPLACE_EXISTING: a name taken meanwhile is never overwritten
            } catch (FileAlreadyExistsException e) {
                // taken meanwhile: the next suffix
            }
        }
    }

    /** The first name in {@code folder} like {@code name} that no file has. */
    private static Path free(Path folder, String name) {
        for (int n = 0;; n++) {
            Path p = n == 0 ? folder.resolve(name) : free(folder, name, n);
            if (!Files.exists(p)) {
                return p;
            }
        }
    }

    /** {@code name} with the suffix {@code .n} before its extension (.csv.gz, .csv, or the last one). */
    private static Path free(Path folder, String name, int n) {
        String lower = name.toLowerCase(Locale.ROOT);
        int dot = lower.endsWith(".rejects.csv") ? lower.length() - 12 : lower.endsWith(".csv.gz")
                ? lower.length() - 7 : lower.lastIndexOf('.');
        if (dot <= 0) {
            dot = name.length();
        }
        return folder.resolve(name.substring(0, dot) + "." + n + name.substring(dot));
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("ingest: cannot delete the empty reject file {}: {}", p, e.toString());
        }
    }
}
