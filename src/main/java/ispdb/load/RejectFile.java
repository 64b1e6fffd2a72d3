package ispdb.load;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import ispdb.IspdbException;
import ispdb.files.OutputFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows a load skipped, as CSV ({@code file,line,column,problem,row}; {@code row} is the row's text exactly
 * as it stood in the input), on an {@link OutputFile} (its rules: checked before the load starts, never an input
 * nor the database, owner-only when new).
 *
 * <p>The rows wait in a private temporary file as they come; before the load commits, they are made durable
 * ({@link #secure()}): a regular file's temporary copy is flushed to disk beside it, a device, a FIFO or standard
 * output gets them. Only after the commit does the temporary copy replace a regular file ({@link #commit()}). A
 * failure to write rolls the load back, so no load commits unless its rejected rows are safe.
 */
final class RejectFile implements AutoCloseable {
    private final OutputFile file;
    private final SequenceWriter csv;

    /**
     * Checks the path and opens the temporary file (a usage error, exit code 2, if it cannot be used).
     *
     * @param inputs the load's input files (null for standard input), which the reject file must not be
     * @param database the database file (null if the database is not a file), which it must not be either
     */
    RejectFile(Path given, List<Path> inputs, Path database) {
        List<Path> databases = new ArrayList<>();
        databases.add(database);
        file = OutputFile.open("--reject-file", given, OutputFile.Kind.REJECTS, databases, inputs, true);
        try {
            CsvSchema schema = CsvSchema.builder().addColumn("file").addColumn("line").addColumn("column")
                    .addColumn("problem").addColumn("row").setUseHeader(true).build();
            // closed at secure(), which writes the header of a file without rows; the file is OutputFile's to close
            CsvMapper mapper = new CsvMapper();
            mapper.getFactory().disable(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            csv = mapper.enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).writer(schema)
                    .writeValues(file.writer());
        } catch (IOException e) {
            file.close();
            throw cannotWrite(e);
        }
    }

    void write(String source, long line, String column, String problem, String row) {
        try {
            csv.write(List.of(source, Long.toString(line), column, problem, row));
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
        } catch (IOException e) {
            throw cannotWrite(e);
        }
        file.secure("nothing was loaded");
    }

    /**
     * After the load committed: a regular file is replaced by the rows (a device has them already). If that
     * fails, the rows stay in the temporary file, which the message names (exit code 4).
     */
    void commit() {
        file.commit("the load committed");
    }

    private IspdbException cannotWrite(IOException e) {
        return IspdbException.usage("cannot write the reject file " + file.path() + ": " + OutputFile.reason(e)
                + " (nothing was loaded)");
    }

    /** Drops the temporary file unless it was committed. */
    @Override
    public void close() {
        file.close();
    }
}
