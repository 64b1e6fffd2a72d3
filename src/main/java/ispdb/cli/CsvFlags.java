package ispdb.cli;

import ispdb.IspdbException;
import ispdb.load.LoadOptions;
import ispdb.load.Mode;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import picocli.CommandLine.Option;

/** How the commands that load CSV files (load-csv, ingest) read them, and what a key already stored does. */
final class CsvFlags {
    @Option(names = "--mode", paramLabel = "insert|upsert|skip-existing", defaultValue = "insert",
            converter = ModeConverter.class, completionCandidates = ModeConverter.class,
            description = "What a row whose key is already in the table does: insert (default): it is a bad row; "
                    + "upsert: it replaces the stored row; skip-existing: it is skipped.")
    Mode mode;

    @Option(names = "--delimiter", paramLabel = "C", defaultValue = ",",
            description = "The field delimiter (default: ,); 'tab' or \\t for tabs.")
    String delimiter;

    @Option(names = "--encoding", paramLabel = "NAME", defaultValue = "UTF-8",
            description = "The file's character encoding (default: UTF-8; a byte-order mark is skipped).")
    String encoding;

    /** Sets the mode, delimiter and encoding on a load's options (a usage error if one is not valid). */
    LoadOptions.Builder applyTo(LoadOptions.Builder options) {
        return options.mode(mode).csv(delimiter(delimiter), charset(encoding));
    }

    static char delimiter(String d) {
        if (d.equals("\\t") || d.equalsIgnoreCase("tab")) {
            return '\t';
        }
        if (d.length() != 1 || d.charAt(0) == '"' || d.charAt(0) == '\n' || d.charAt(0) == '\r') {
            throw IspdbException.usage("--delimiter must be one character other than a quote or a line break, not '"
                    + d + "'");
        }
        return d.charAt(0);
    }

    static Charset charset(String name) {
        try {
            return Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw IspdbException.usage("--encoding " + name + " is not an encoding Java knows "
                    + "(for example UTF-8, ISO-8859-1, windows-1252, UTF-16)");
        }
    }

    static final class ModeConverter extends WordConverter<Mode> {
        ModeConverter() {
            super(Mode.class);
        }
    }
}
