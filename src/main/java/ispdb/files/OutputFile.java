package ispdb.files;

import ispdb.ExitCodes;
import ispdb.IspdbException;
import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every file ispdb writes for the user (an export, a report, a reject file, the log file) goes through here, and
 * keeps these rules:
 * <ul>
 * <li>{@code -}, {@code /dev/stdout} and {@code /dev/stderr} (and {@code /dev/fd/1}, {@code /proc/self/fd/2}, ...)
 * are this run's standard output or error; another device, a FIFO or a descriptor is written in place, never
 * replaced;</li>
 * <li>a regular file is written to a private temporary file beside it ({@code .ispdb-KIND-PID-N.tmp}), which
 * replaces it only when complete and on disk; a failure, SIGINT or SIGTERM removes it, and a later write into the
 * same folder removes those of a process that is gone;</li>
 * <li>never the database (its file nor its {@code -wal}, {@code -shm}, {@code -journal}), never an input of the same
 * run, never a folder;</li>
 * <li>a symbolic link is followed (its target written, the link kept), except a link in a sticky world-writable
 * folder ({@code /tmp}) that neither the caller nor the folder's owner owns: the kernel's protected_symlinks
 * rule;</li>
 * <li>a file ispdb creates is readable and writable by its owner only (0600, whatever the umask); a file that
 * exists keeps its mode, owner and group.</li>
 * </ul>
 */
public final class OutputFile implements AutoCloseable {
    /** What is written, for messages and the temporary files' names. */
    public enum Kind {
        EXPORT("export", "", "export.csv", "name another file"),
        REPORT("report", "the report ", "report.html", "name another file"),
        REJECTS("rejects", "the reject file ", "rejects.csv", "name another file for the rejected rows"),
        LOG("log", "the log file ", "ispdb.log", "name another file for the log"),
        METRICS("metrics", "the metrics file ", "ispdb.prom", "name another file for the metrics"),
        REASON("reason", "the reason file ", "NAME.reason", "name another file");

        final String word;
        final String noun;
        final String example;
        final String instead;

        Kind(String word, String noun, String example, String instead) {
            this.word = word;
            this.noun = noun;
            this.example = example;
            this.instead = instead;
        }
    }

    /** Where a checked path leads. */
    public enum Where {
        /** This run's standard output. */
        STDOUT,
        /** This run's standard error. */
        STDERR,
        /** A device, a FIFO, a socket or a descriptor: written in place. */
        DEVICE,
        /** A regular file (that may not exist yet). */
        FILE
    }

    /**
     * A path checked against the rules, nothing opened yet.
     *
     * @param path where the text goes: the end of the links for a file, the path itself for a device
     */
    public record Target(String option, Path given, String shown, Kind kind, Where where, Path path) {
        /** "the reject file rejects.csv", for messages. */
        public String named() {
            return kind.noun + shown;
        }
    }

    private static final Pattern TEMPORARY = Pattern.compile("\\.ispdb-[a-z]+-(\\d+)-\\d+\\.tmp");
    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();
    private static boolean hooked;
    private static PrintWriter standardOutput;
    private static PrintWriter standardError;

    private final Target target;
    private final Path temporary;
    private final OutputStream stream;
    private final Writer writer;
    private boolean secured;
    private boolean done;

    /**
     * Where {@code -}, {@code /dev/stdout} and {@code /dev/stderr} go: the command line's own writers (set once per
     * command line; by default the process's).
     */
    public static synchronized void standardStreams(PrintWriter out, PrintWriter err) {
        standardOutput = out;
        standardError = err;
    }

    private static synchronized PrintWriter standard(Where where) {
        if (where == Where.STDOUT) {
            if (standardOutput == null) {
                standardOutput = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out),
                        StandardCharsets.UTF_8), true);
            }
            return standardOutput;
        }
        if (standardError == null) {
            standardError = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err),
                    StandardCharsets.UTF_8), true);
        }
        return standardError;
    }

    /**
     * Checks a path against the rules (a usage error, exit code 2, names what is wrong in one sentence).
     *
     * @param option how messages name the option ({@code --output})
     * @param databases the files of this run's databases (their -wal, -shm and -journal files are refused too)
     * @param inputs the files this run reads (null entries, standard input, are skipped)
     */
    public static Target check(String option, Path given, Kind kind, List<Path> databases, List<Path> inputs) {
        return check(option, given, given.toString(), kind, databases, inputs);
    }

    /**
     * As {@link #check(String, Path, Kind, List, List)}, the path shown in messages as {@code shown}; an empty
     * {@code option} (a setting) names it by its kind ("the log file ispdb.log (log-file in F)").
     */
    public static Target check(String option, Path given, String shown, Kind kind, List<Path> databases,
            List<Path> inputs) {
        String lead = option.isEmpty() ? kind.noun + shown : option + " " + shown;
        Where own = ownDescriptor(given);
        if (own != null) {
            return new Target(option, given, shown, kind, own, given);
        }
        Path absolute = given.toAbsolutePath().normalize();
        if (absolute.startsWith("/dev/fd") || absolute.startsWith("/proc")) {
            // another descriptor of this process (or /proc itself): what it is open on is written in place
            return new Target(option, given, shown, kind, Where.DEVICE, given);
        }
        Path end = followLinks(lead, given);
        if (Files.isDirectory(end)) {
            throw IspdbException.usage(lead + " is a folder: name a file, for example "
                    + given.resolve(kind.example));
        }
        Path real = real(end);
        for (Path database : databases) {
            if (database == null) {
                continue;
            }
            Path db = real(followLinks("the database " + database, database, false));
            if (same(end, real, database, db)) {
                throw IspdbException.usage(lead + " is the database file " + database + ": "
                        + kind.instead);
            }
            for (String suffix : List.of("-wal", "-shm", "-journal")) {
                Path companion = db.resolveSibling(db.getFileName() + suffix);
                Path named = database.toAbsolutePath().normalize();
                named = named.resolveSibling(named.getFileName() + suffix);
                if (real.equals(companion) || real.equals(named)) {
                    throw IspdbException.usage(lead + " is the " + suffix + " file of the database "
                            + database + " (SQLite's, part of the database): " + kind.instead);
                }
            }
        }
        for (Path input : inputs) {
            if (input != null && same(end, real, input, real(followLinks("the input " + input, input, false)))) {
                throw IspdbException.usage(lead + " is the input file " + input + ": " + kind.instead);
            }
        }
        if (Files.exists(end) && !Files.isRegularFile(end)) {
            return new Target(option, given, shown, kind, Where.DEVICE, end);
        }
        Path folder = end.toAbsolutePath().getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw IspdbException.usage("cannot write " + kind.noun + shown + ": its folder "
                    + (folder == null ? "" : folder + " ") + "does not exist");
        }
        return new Target(option, given, shown, kind, Where.FILE, end);
    }

    /**
     * Checks the path and opens it: a file's temporary file, or the device (a usage error, exit code 2, if it
     * cannot be used).
     *
     * @param hold keep the text in a private temporary file until {@link #secure()} for a device or standard
     *     output too (a load's rejected rows: none go out unless the load is about to commit); otherwise a
     *     device is written as the text comes
     */
    public static OutputFile open(String option, Path given, Kind kind, List<Path> databases, List<Path> inputs,
            boolean hold) {
        return new OutputFile(check(option, given, kind, databases, inputs), hold);
    }

    private OutputFile(Target target, boolean hold) {
        this.target = target;
        Path folder = target.where() == Where.FILE ? target.path().toAbsolutePath().getParent() : null;
        try {
            if (folder != null) {
                removeLeftovers(folder);
                temporary = temporaryFile(folder, target.kind());
                stream = Files.newOutputStream(temporary);
            } else if (hold) {
                // a device's text waits in the system's temporary folder
                temporary = temporaryFile(null, target.kind());
                stream = Files.newOutputStream(temporary);
            } else {
                temporary = null;
                stream = target.where() == Where.DEVICE ? Files.newOutputStream(target.path(),
                        StandardOpenOption.WRITE, StandardOpenOption.APPEND) : null;
            }
        } catch (AccessDeniedException e) {
            throw IspdbException.usage("cannot write " + target.named() + ": you may not write in "
                    + (folder == null ? target.given() : folder));
        } catch (IOException e) {
            throw IspdbException.usage("cannot write " + target.named() + ": " + reason(e));
        }
        writer = stream == null ? new FilterWriter(standard(target.where())) {
            @Override
            public void close() {
                flushQuietly(out);
            }
        } : new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
    }

    /** Where the text goes (buffered; {@link #commit()} flushes it). */
    public Writer writer() {
        return writer;
    }

    /** The file as the user named it. */
    public Path path() {
        return target.given();
    }

    /** Whether the text goes to this run's standard output (then a command prints no summary line after it). */
    public boolean isStandardOutput() {
        return target.where() == Where.STDOUT;
    }

    /**
     * All was written: on disk in the temporary file (flushed and synced), or out on the device. A failure is thrown
     * (nothing replaced).
     */
    public void secure() {
        secure(null);
    }

    /**
     * As {@link #secure()}; a failure's message ends with {@code consequence} ("nothing was loaded") instead of
     * what became of the file.
     */
    public void secure(String consequence) {
        try {
            writer.flush();
            if (temporary == null) {
                if (stream == null && standard(target.where()).checkError()) {
                    throw new IOException("the output was closed");
                }
            } else if (target.where() == Where.FILE) {
                writer.close();
                try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
            } else {
                writer.close();
                if (target.where() == Where.DEVICE) {
                    try (OutputStream device = Files.newOutputStream(target.path(), StandardOpenOption.WRITE,
                            StandardOpenOption.APPEND)) {
                        Files.copy(temporary, device);
                    }
                } else {
                    PrintWriter out = standard(target.where());
                    try (Reader text = Files.newBufferedReader(temporary, StandardCharsets.UTF_8)) {
                        text.transferTo(out);
                    }
                    out.flush();
                    if (out.checkError()) {
                        throw new IOException("the output was closed");
                    }
                }
                deleteTemporary();
            }
            secured = true;
        } catch (IOException e) {
            throw consequence == null ? failed(e) : IspdbException.usage("cannot write " + target.named() + ": "
                    + reason(e) + " (" + consequence + ")");
        }
    }

    /**
     * After {@link #secure()} (which it calls if need be): a file's temporary file replaces it, keeping the mode,
     * owner and group the file had. If that fails the text stays in the temporary file, which the message names.
     *
     * @param afterWhat what happened before, for that message ("the load committed"), or null
     */
    public void commit(String afterWhat) {
        if (!secured) {
            secure();
        }
        if (target.where() == Where.FILE) {
            try {
                keepAttributes(target.path(), temporary);
                try {
                    Files.move(temporary, target.path(), StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, target.path(), StandardCopyOption.REPLACE_EXISTING);
                }
                LIVE.remove(temporary);
            } catch (IOException e) {
                done = true; // the temporary file has the text: it stays
                LIVE.remove(temporary);
                if (afterWhat == null) {
                    deleteTemporary();
                    throw failed(e);
                }
                throw new IspdbException(ExitCodes.PARTIAL, afterWhat + ", but " + target.named()
                        + " could not be replaced (" + reason(e) + "); the text is in " + temporary, e);
            }
        }
        done = true;
    }

    /** {@link #commit(String)} when nothing else happened before. */
    public void commit() {
        commit(null);
    }

    /** A failure to write, as one sentence (exit code 2); the file was not replaced. */
    public IspdbException failed(IOException e) {
        return IspdbException.usage("cannot write " + target.named() + ": " + reason(e) + " ("
                + (target.where() == Where.FILE ? target.given() + " was left as it was" : "the output is incomplete")
                + ")");
    }

    /** Closes the file or device (standard output is only flushed); deletes the temporary file unless committed. */
    @Override
    public void close() {
        try {
            writer.close();
        } catch (IOException e) {
            // the temporary file goes anyway; a device was checked by secure()
        }
        if (!done) {
            deleteTemporary();
        }
    }

    private void deleteTemporary() {
        if (temporary != null) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException e) {
                // nothing more to do
            }
            LIVE.remove(temporary);
        }
    }

    /**
     * Makes sure a log file exists (created owner-only if it did not) and returns where Log4j2 is to append: the
     * end of its links for a file, the device itself otherwise.
     */
    public static Path createForAppending(Target target) {
        if (target.where() != Where.FILE) {
            return target.path();
        }
        try {
            Files.createFile(target.path(), privateFile());
        } catch (FileAlreadyExistsException e) {
            // appended to as it is
        } catch (AccessDeniedException e) {
            throw IspdbException.usage("cannot write " + target.named() + ": you may not write in "
                    + target.path().toAbsolutePath().getParent());
        } catch (IOException e) {
            throw IspdbException.usage("cannot write " + target.named() + ": " + reason(e));
        }
        if (!Files.isWritable(target.path())) {
            throw IspdbException.usage("cannot write " + target.named() + ": permission denied");
        }
        return target.path();
    }

    /**
     * Creates a new file readable and writable by its owner only, before another program (SQLite) creates it with
     * its own mode; a file that exists is left as it is.
     */
    public static void createPrivate(Path file) throws IOException {
        try {
            Files.createFile(file, privateFile());
        } catch (FileAlreadyExistsException e) {
            // its mode is its owner's choice
        }
    }

    /** An I/O failure's reason, in words ("permission denied", "the disk is full"). */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof NotDirectoryException) {
            return "not a folder";
        }
        String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
        if (reason == null) {
            reason = e.getClass().getSimpleName();
        }
        return reason.contains("No space left") ? "the disk is full" : reason;
    }

    /** Attributes of a file only its owner may read and write (rw-------), where the file system has them. */
    public static FileAttribute<?>[] privateFile() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
    }

    /** STDOUT or STDERR when the path names this process's own (/dev/stdout, /dev/fd/1, /proc/self/fd/2, -), else null. */
    static Where ownDescriptor(Path path) {
        if (path.toString().equals("-")) {
            return Where.STDOUT;
        }
        return switch (path.toAbsolutePath().normalize().toString()) {
            case "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1" -> Where.STDOUT;
            case "/dev/stderr", "/dev/fd/2", "/proc/self/fd/2" -> Where.STDERR;
            default -> null;
        };
    }

    /**
     * Where a chain of symbolic links ends (the path itself if it is none; a dangling link's target too). A link in a
     * sticky folder others may write in ({@code /tmp}) is followed only if the caller or the folder's owner owns it,
     * as the kernel's protected_symlinks rule has it (ispdb replaces the link's target itself, by name, where the
     * kernel would not see the link).
     *
     * @param lead how messages name the path (such as {@code --reject-file rejects.csv})
     */
    public static Path followLinks(String lead, Path path) {
        return followLinks(lead, path, true);
    }

    private static Path followLinks(String lead, Path path, boolean toWrite) {
        Path p = path;
        for (int hops = 0; hops < 40 && Files.isSymbolicLink(p); hops++) {
            try {
                if (toWrite) {
                    refuseForeignLink(lead, path, p);
                }
                Path link = Files.readSymbolicLink(p);
                Path parent = p.toAbsolutePath().getParent();
                p = parent == null ? link : parent.resolve(link).normalize();
            } catch (IOException e) {
                throw IspdbException.usage("cannot follow the link " + path + ": " + reason(e));
            }
        }
        if (Files.isSymbolicLink(p)) {
            throw IspdbException.usage(lead + " is a loop of symbolic links");
        }
        return p;
    }

    private static void refuseForeignLink(String lead, Path given, Path link) throws IOException {
        Path folder = link.toAbsolutePath().getParent();
        if (folder == null || !FileSystems.getDefault().supportedFileAttributeViews().contains("unix")) {
            return;
        }
        int mode = (Integer) Files.getAttribute(folder, "unix:mode");
        if ((mode & 01002) != 01002) {
            return; // not sticky and world-writable
        }
        int owner = (Integer) Files.getAttribute(link, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int folderOwner = (Integer) Files.getAttribute(folder, "unix:uid");
        if (owner == callerUid() || owner == folderOwner) {
            return;
        }
        String name = Files.getOwner(link, LinkOption.NOFOLLOW_LINKS).getName();
        throw IspdbException.usage(lead + (link.equals(given) ? "" : " leads to " + link + ", which")
                + " is a symbolic link of another user (" + name + ") in the shared folder " + folder
                + ": ispdb does not follow it (the kernel's protected_symlinks rule); name a file of yours");
    }

    private static int callerUid() throws IOException {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }

    /** The absolute, normalized path with its folder's links resolved (the file itself need not exist). */
    private static Path real(Path p) {
        Path absolute = p.toAbsolutePath().normalize();
        try {
            return absolute.toRealPath();
        } catch (IOException e) {
            Path parent = absolute.getParent();
            try {
                return parent == null ? absolute : parent.toRealPath().resolve(absolute.getFileName());
            } catch (IOException again) {
                return absolute;
            }
        }
    }

    private static boolean same(Path a, Path realA, Path b, Path realB) {
        try {
            if (Files.exists(a) && Files.exists(b)) {
                return Files.isSameFile(a, b);
            }
        } catch (IOException e) {
            // cannot tell: compare the names
        }
        return realA.equals(realB);
    }

    /** A private temporary file named for this process ({@code .ispdb-KIND-PID-N.tmp}), removed on SIGINT/SIGTERM. */
    private static Path temporaryFile(Path folder, Kind kind) throws IOException {
        String prefix = ".ispdb-" + kind.word + "-" + ProcessHandle.current().pid() + "-";
        Path file = folder == null ? Files.createTempFile(prefix, ".tmp", privateFile())
                : Files.createTempFile(folder, prefix, ".tmp", privateFile());
        hook();
        LIVE.add(file);
        return file;
    }

    private static synchronized void hook() {
        if (!hooked) {
            hooked = true;
            try {
                // runs on SIGINT and SIGTERM as on a normal exit (not on SIGKILL: a later write removes those)
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    for (Path p : new ArrayList<>(LIVE)) {
                        try {
                            Files.deleteIfExists(p);
                        } catch (IOException e) {
                            // nothing more to do
                        }
                    }
                }, "ispdb-temporary-files"));
            } catch (IllegalStateException e) {
                // the JVM is shutting down already
            }
        }
    }

    /** Removes the temporary files that a process that is gone (killed) left in {@code folder}. */
    private static void removeLeftovers(Path folder) {
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, ".ispdb-*.tmp")) {
            for (Path f : files) {
                Matcher m = TEMPORARY.matcher(f.getFileName().toString());
                if (!m.matches()) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(m.group(1));
                } catch (NumberFormatException e) {
                    continue;
                }
                boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
                if (pid != self && !alive && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    try {
                        Files.deleteIfExists(f);
                    } catch (IOException e) {
                        // another user's, in a sticky folder: theirs to remove
                    }
                }
            }
        } catch (IOException e) {
            // a folder that cannot be listed: nothing to clean up
        }
    }

    /** The replaced file's mode, owner and group on the new one (best effort: only root may give a file away). */
    private static void keepAttributes(Path existing, Path replacement) {
        if (!Files.exists(existing)) {
            return;
        }
        try {
            PosixFileAttributes old = Files.readAttributes(existing, PosixFileAttributes.class);
            PosixFileAttributeView view = Files.getFileAttributeView(replacement, PosixFileAttributeView.class);
            view.setPermissions(old.permissions());
            try {
                view.setGroup(old.group());
            } catch (IOException e) {
                // not one of the caller's groups
            }
            try {
                view.setOwner(old.owner());
            } catch (IOException e) {
                // only root may
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: the new file's defaults
        }
    }

    private static void flushQuietly(Writer w) {
        try {
            w.flush();
        } catch (IOException e) {
            // checked by secure()
        }
    }
}
