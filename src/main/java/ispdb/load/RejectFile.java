package ispdb.load;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import ispdb.IspdbException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The rows a load skipped, as CSV ({@code file,line,column,problem,row}; {@code row} is the row's text exactly
 * as it stood in the input). Written to a private temporary file beside the target and moved into place only
 * when the load succeeds, readable by its owner only (it holds customer data).
 */
final class RejectFile implements AutoCloseable {
    private final Path target;
    private final Path temporary;
    private final BufferedWriter out;
    private final SequenceWriter csv;
    private boolean done;

    RejectFile(Path target) {
        this.target = target;
        Path folder = target.toAbsolutePath().getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw IspdbException.usage("cannot write the reject file " + target + ": its folder does not exist");
        }
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                temporary = Files.createTempFile(folder, ".ispdb-rejects-", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                temporary = Files.createTempFile(folder, ".ispdb-rejects-", ".tmp");
            }
            out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8);
            CsvSchema schema = CsvSchema.builder().addColumn("file").addColumn("line").addColumn("column")
                    .addColumn("problem").addColumn("row").setUseHeader(true).build();
            csv = new CsvMapper().enable(com.fasterxml.jackson.dataformat.csv.CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).writer(schema).writeValues(out);
        } catch (IOException e) {
            throw IspdbException.usage("cannot write the reject file " + target + ": " + e.getMessage());
        }
    }

    void write(String file, long line, String column, String problem, String row) {
        try {
            csv.write(List.of(file, Long.toString(line), column, problem, row));
        } catch (IOException e) {
            throw IspdbException.usage("cannot write the reject file " + target + ": " + e.getMessage());
        }
    }

    /** Puts the file in place (replacing an older one). */
    void commit() {
        try {
            csv.close();
            out.close();
            try {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } catch (IOException e) {
            throw IspdbException.usage("cannot write the reject file " + target + ": " + e.getMessage());
        }
    }

    /** Drops the file unless it was committed. */
    @Override
    public void close() {
        if (!done) {
            try {
                csv.close();
                out.close();
            } catch (IOException e) {
                // the file goes anyway
            }
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException e) {
                // nothing more to do
            }
        }
    }
}
