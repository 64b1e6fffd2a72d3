package ispdb.load;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import ispdb.ExitCodes;
import ispdb.IspdbException;
import ispdb.OutputPaths;
import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;

/**
 * The rows a load skipped, as CSV ({@code file,line,column,problem,row}; {@code row} is the row's text exactly
 * as it stood in the input), readable by its owner only (it holds customer data).
 *
 * <p>The path is checked before the load starts: not a folder, not one of the load's own inputs nor the
 * database, in a folder that exists and can be written. A symbolic link is followed (its target is written, the
 * link stays). The rows go to a private temporary file as they come; before the load commits, they are made
 * durable ({@link #secure()}): a regular file's temporary copy is flushed to disk beside it, and a device, a
 * FIFO or a file descriptor of this process ({@code /dev/stdout}, whatever it is redirected to) is written
 * directly, appended. Only after the commit does the temporary copy replace a
 * regular file ({@link #commit()}). A failure to write rolls the load back, so no load commits unless its
 * rejected rows are safe.
 */
final class RejectFile implements AutoCloseable {
    /** The path as the user gave it, for messages. */
    private final Path given;
    /** Where the rows end up: the link's target for a link, else the path itself. */
    private final Path target;
    /** A device or FIFO, written in place rather than replaced. */
    private final boolean direct;
    private final Path temporary;
    private final BufferedWriter out;
    private final SequenceWriter csv;
    private boolean secured;
    private boolean done;

    /**
     * Checks the path and opens the temporary file (a usage error, exit code 2, if it cannot be used).
     *
     * @param inputs the load's input files (null for standard input), which the reject file must not be
     * @param database the database file (null if the database is not a file), which it must not be either
     */
    RejectFile(Path given, List<Path> inputs, Path database) {
        this.given = given;
        if (Files.isDirectory(given)) {
            throw IspdbException.usage("--reject-file " + given + " is a folder: name a file, for example "
                    + given.resolve("rejects.csv"));
        }
        // /dev/stdout, /dev/fd/N, /proc/self/fd/N name a file descriptor of this process (a terminal, a pipe, or
        // a file the shell redirected to): written in place, appended, never replaced by another file
        Path absolute = given.toAbsolutePath().normalize();
        boolean descriptor = absolute.startsWith("/dev") || absolute.startsWith("/proc");
        this.target = descriptor ? given : OutputPaths.followLinks("--reject-file", given);
        for (Path input : inputs) {
            if (input != null && sameFile(target, input)) {
                throw IspdbException.usage("--reject-file " + given + " is the input file " + input
                        + ": name another file for the rejected rows");
            }
        }
        if (database != null && sameFile(target, database)) {
            throw IspdbException.usage("--reject-file " + given + " is the database file " + database
                    + ": name another file for the rejected rows");
        }
        this.direct = descriptor || Files.exists(target) && !Files.isRegularFile(target);
        Path folder = direct ? null : target.toAbsolutePath().getParent();
        if (!direct && (folder == null || !Files.isDirectory(folder))) {
            throw IspdbException.usage("cannot write the reject file " + given + ": its folder "
                    + (folder == null ? "" : folder + " ") + "does not exist");
        }
        try {
            // a device's rows wait in the system's temporary folder; a file's beside it, for the atomic move
            temporary = folder == null ? Files.createTempFile(".ispdb-rejects-", ".tmp", OutputPaths.privateFile())
                    : Files.createTempFile(folder, ".ispdb-rejects-", ".tmp", OutputPaths.privateFile());
        } catch (AccessDeniedException e) {
            throw IspdbException.usage("cannot write the reject file " + given + ": you may not write in its folder "
                    + folder);
        } catch (IOException e) {
            throw IspdbException.usage("cannot write the reject file " + given + ": " + e.getMessage());
        }
        try {
            out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8);
            CsvSchema schema = CsvSchema.builder().addColumn("file").addColumn("line").addColumn("column")
                    .addColumn("problem").addColumn("row").setUseHeader(true).build();
            csv = new CsvMapper().enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).writer(schema).writeValues(out);
        } catch (IOException e) {
            deleteTemporary();
            throw IspdbException.usage("cannot write the reject file " + given + ": " + e.getMessage());
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) {
                return Files.isSameFile(a, b);
            }
        } catch (IOException e) {
            // cannot tell: compare the names
        }
        return Objects.equals(a.toAbsolutePath().normalize(),
                OutputPaths.followLinks("--reject-file", b).toAbsolutePath().normalize());
    }

    void write(String file, long line, String column, String problem, String row) {
        try {
            csv.write(List.of(file, Long.toString(line), column, problem, row));
        } catch (IOException e) {
            throw cannotWrite(e);
        }
    }

    /**
     * Before the load commits: the rows on disk (a file's temporary copy flushed and synced), or written to the
     * device. Any failure here is thrown, and the load rolls back.
     */
    void secure() {
        try {
            csv.close();
            out.close();
            if (direct) {
                FileDescriptor own = OutputPaths.ownDescriptor(given);
                if (own != null) {
                    // this process's own standard output or error: through its descriptor, so that the rows and
                    // what ispdb prints after them share one position in whatever it is redirected to
                    System.out.flush();
                    System.err.flush();
                    FileOutputStream device = new FileOutputStream(own);
                    Files.copy(temporary, device);
                    device.flush();
                } else {
                    try (OutputStream device = Files.newOutputStream(target, StandardOpenOption.WRITE,
                            StandardOpenOption.APPEND)) {
                        Files.copy(temporary, device);
                    }
                }
            } else {
                try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
            }
            secured = true;
        } catch (IOException e) {
            throw cannotWrite(e);
        }
    }

    /**
     * After the load committed: a regular file is replaced by the rows (a device has them already). If that
     * fails, the rows stay in the temporary file, which the message names.
     */
    void commit() {
        if (!secured) {
            throw new IllegalStateException("commit() before secure()");
        }
        if (!direct) {
            try {
                try {
                    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                done = true; // keep the temporary file: it has the rows
                throw new IspdbException(ExitCodes.PARTIAL, "the load committed, but its rejected rows could not be "
                        + "moved to " + given + " (" + e.getMessage() + "); they are in " + temporary, e);
            }
        }
        deleteTemporary();
        done = true;
    }

    private IspdbException cannotWrite(IOException e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (reason.contains("No space left")) {
            reason = "the disk is full";
        }
        return IspdbException.usage("cannot write the reject file " + given + ": " + reason + " (nothing was loaded)");
    }

    private void deleteTemporary() {
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException e) {
            // nothing more to do
        }
    }

    /** Drops the temporary file unless it was committed. */
    @Override
    public void close() {
        if (!done) {
            try {
                csv.close();
                out.close();
            } catch (IOException e) {
                // the file goes anyway
            }
            deleteTemporary();
        }
    }
}
