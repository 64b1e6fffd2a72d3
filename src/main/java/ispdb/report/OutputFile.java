package ispdb.report;

import ispdb.IspdbException;
import ispdb.OutputPaths;
import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A file a command writes as a whole ({@code export --output FILE}), in UTF-8, readable by its owner only (it
 * holds customer data). The text goes to a temporary file beside it, which replaces the file only when all of
 * it was written and flushed to disk ({@link #commit()}); on any failure the temporary file is deleted and the
 * file stays as it was. A symbolic link is followed (its target is replaced, the link stays). A device, a FIFO
 * or a descriptor of this process ({@code /dev/stdout}) is written directly. The database file itself is
 * refused.
 */
public final class OutputFile implements AutoCloseable {
    private final String option;
    private final Path given;
    private final Path target;
    private final boolean direct;
    private final Path temporary;
    private final OutputStream stream;
    private final Writer writer;
    private boolean done;

    /**
     * Checks the path and opens the temporary file, or the device (a usage error, exit code 2, if it cannot be
     * used).
     *
     * @param option how messages name the option ("--output")
     * @param database the database file (null if the database is not a file), which must not be overwritten
     */
    public OutputFile(String option, Path given, Path database) {
        this.option = option;
        this.given = given;
        if (Files.isDirectory(given)) {
            throw IspdbException.usage(option + " " + given + " is a folder: name a file, for example "
                    + given.resolve("export.csv"));
        }
        Path absolute = given.toAbsolutePath().normalize();
        boolean descriptor = absolute.startsWith("/dev") || absolute.startsWith("/proc");
        this.target = descriptor ? given : OutputPaths.followLinks(option, given);
        if (database != null && sameFile(target, database)) {
            throw IspdbException.usage(option + " " + given + " is the database file " + database
                    + ": name another file");
        }
        this.direct = descriptor || Files.exists(target) && !Files.isRegularFile(target);
        Path folder = direct ? null : target.toAbsolutePath().getParent();
        if (!direct && (folder == null || !Files.isDirectory(folder))) {
            throw IspdbException.usage("cannot write " + given + ": its folder " + (folder == null ? "" : folder + " ")
                    + "does not exist");
        }
        try {
            if (direct) {
                temporary = null;
                FileDescriptor own = OutputPaths.ownDescriptor(given);
                stream = own != null ? new FileOutputStream(own)
                        : Files.newOutputStream(target, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            } else {
                temporary = Files.createTempFile(folder, ".ispdb-export-", ".tmp", OutputPaths.privateFile());
                stream = Files.newOutputStream(temporary);
            }
        } catch (AccessDeniedException e) {
            throw IspdbException.usage("cannot write " + given + ": you may not write in "
                    + (folder == null ? given : folder));
        } catch (IOException e) {
            throw IspdbException.usage("cannot write " + given + ": " + reason(e));
        }
        writer = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
    }

    /** Where the text goes (buffered; {@link #commit()} flushes it). */
    public Writer writer() {
        return writer;
    }

    /** The file as the user named it. */
    public Path path() {
        return given;
    }

    /** All was written: flushes it to disk and moves it into place. */
    public void commit() {
        try {
            writer.flush();
            if (direct) {
                stream.flush();
            } else {
                writer.close();
                try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
                try {
                    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            done = true;
        } catch (IOException e) {
            throw failed(e);
        }
    }

    /** A failure to write, as one sentence (exit code 2): nothing was written to the file. */
    public IspdbException failed(IOException e) {
        return IspdbException.usage("cannot write " + given + ": " + reason(e) + " ("
                + (direct ? "the output is incomplete" : given + " was left as it was") + ")");
    }

    /** Deletes the temporary file unless it was committed. */
    @Override
    public void close() {
        if (!done) {
            try {
                writer.close();
            } catch (IOException e) {
                // the temporary file goes anyway
            }
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException e) {
                    // nothing more to do
                }
            }
        } else if (direct) {
            try {
                writer.flush();
            } catch (IOException e) {
                // flushed at commit
            }
        }
    }

    private static String reason(IOException e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return reason.contains("No space left") ? "the disk is full" : reason;
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) {
                return Files.isSameFile(a, b);
            }
        } catch (IOException e) {
            // cannot tell: compare the names
        }
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
}
