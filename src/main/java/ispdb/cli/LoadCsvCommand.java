package ispdb.cli;

import ispdb.IspdbException;
import ispdb.db.Database;
import ispdb.load.Loader;
import ispdb.model.Table;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "load-csv", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Loads a CSV export into a table, or every export in a folder, all or nothing: any bad row "
                + "rejects the load, lists FILE:LINE: column: problem for each bad row, and leaves the database "
                + "as it was. With --on-error skip the good rows load and the bad ones go to the reject file.",
            "",
            "The header row names the columns, in any order (prediction_id and predicted_at may be left out). "
                + "Dates: YYYY-MM-DD, YYYY-MM-DD HH:MM:SS or YYYY-MM-DDTHH:MM:SS, optionally with up to six "
                + "fraction digits. Booleans: true/false, 1/0, yes/no. An empty field is NULL where the column "
                + "allows it.",
            "",
            "Examples:",
            "  ispdb load-csv --table customers customers.csv",
            "  ispdb load-csv --dir sample-data",
            "  gunzip -c tx.csv.gz | ispdb load-csv --table transactions -",
            "  ispdb load-csv --table transactions tx.csv --on-error skip --reject-file rejects.csv",
            "  ispdb load-csv --table customers export.csv --delimiter ';' --encoding windows-1252 --mode upsert",
            "",
            "While loading, a progress bar shows on standard error when it is a terminal (not with --quiet)."})
final class LoadCsvCommand extends DatabaseCommand {
    @Option(names = "--table", paramLabel = "TABLE",
            description = "The table FILE goes into: dim_payment_method, dim_customer, fact_transaction, "
                    + "clv_prediction, or payment-methods, customers, transactions, predictions.")
    String table;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "The CSV file; - reads standard input.")
    String file;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Load every CSV file in DIR, each named after its table or alias "
                    + "(dim_customer.csv or customers.csv, ...), parents first, all or nothing.")
    Path dir;

    @Option(names = "--on-error", paramLabel = "fail|skip", defaultValue = "fail",
            converter = OnErrorConverter.class,
            description = "fail (default): any bad row rejects the load. skip: load the good rows and write the "
                    + "bad ones to --reject-file (exit code 4 if there were any).")
    Loader.OnError onError;

    @Option(names = "--reject-file", paramLabel = "FILE",
            description = "With --on-error skip: where the bad rows go, as CSV (file,line,column,problem,row), "
                    + "each row verbatim. Readable by you only.")
    Path rejectFile;

    @Option(names = "--mode", paramLabel = "insert|upsert|skip-existing", defaultValue = "insert",
            converter = ModeConverter.class,
            description = "What a row whose key is already in the table does: insert (default): it is a bad row; "
                    + "upsert: it replaces the stored row; skip-existing: it is skipped.")
    Loader.Mode mode;

    @Option(names = "--delimiter", paramLabel = "C", defaultValue = ",",
            description = "The field delimiter (default: ,); 'tab' or \\t for tabs.")
    String delimiter;

    @Option(names = "--encoding", paramLabel = "NAME", defaultValue = "UTF-8",
            description = "The file's character encoding (default: UTF-8; a byte-order mark is skipped).")
    String encoding;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar and no summary line (errors still show).")
    boolean quiet;

    @Override
    int execute() {
        Loader.Options options = options();
        List<Loader.Source> sources = sources();
        Loader.Result result;
        try (Database db = open(false)) {
            db.requireSchema();
            result = Loader.load(db, sources, options);
        }
        if (!quiet) {
            out().println(Summaries.load(result, rejectFile));
        }
        return result.rejected() > 0 ? ispdb.ExitCodes.PARTIAL : 0;
    }

    private Loader.Options options() {
        if (onError == Loader.OnError.SKIP && rejectFile == null) {
            throw IspdbException.usage("--on-error skip needs --reject-file FILE to keep the rows it skips");
        }
        if (onError == Loader.OnError.FAIL && rejectFile != null) {
            throw IspdbException.usage("--reject-file goes with --on-error skip");
        }
        return new Loader.Options(onError, rejectFile, mode, delimiter(delimiter), charset(encoding),
                ProgressLine.forTerminal(err(), quiet));
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

    private List<Loader.Source> sources() {
        if (dir != null) {
            if (table != null || file != null) {
                throw IspdbException.usage("give either --dir DIR, or --table TABLE and a FILE, not both");
            }
            return folder(dir);
        }
        if (table == null || file == null) {
            throw IspdbException.usage("give --table TABLE and a FILE (or - for standard input), or --dir DIR");
        }
        Table t = Table.named(table).orElseThrow(() -> IspdbException.usage(
                "--table " + table + " is not a table: use one of " + Table.allNames()));
        if (file.equals("-")) {
            InputStream stdin = System.in;
            return List.of(new Loader.Source(t, "<stdin>", -1, () -> stdin));
        }
        Path path = Path.of(file);
        checkReadable(path);
        return List.of(new Loader.Source(t, file, size(path), () -> Files.newInputStream(path)));
    }

    static long size(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            return -1;
        }
    }

    private static void checkReadable(Path path) {
        if (Files.isDirectory(path)) {
            throw IspdbException.usage(path + " is a folder: load a folder with --dir");
        }
        if (!Files.exists(path)) {
            throw IspdbException.usage("cannot read " + path + ": no such file");
        }
        if (!Files.isReadable(path)) {
            throw IspdbException.usage("cannot read " + path + ": permission denied");
        }
    }

    /** The CSV files of a folder, one per table, parents first. */
    static List<Loader.Source> folder(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw IspdbException.usage("--dir " + dir + " is not a folder");
        }
        Map<Table, Path> files = new EnumMap<>(Table.class);
        List<String> unknown = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (!name.toLowerCase(Locale.ROOT).endsWith(".csv") || !Files.isRegularFile(p)) {
                    continue;
                }
                Table t = Table.named(name.substring(0, name.length() - 4)).orElse(null);
                if (t == null) {
                    unknown.add(name);
                    continue;
                }
                Path other = files.put(t, p);
                if (other != null) {
                    throw IspdbException.usage(dir + " has two files for " + t.tableName() + ": "
                            + other.getFileName() + " and " + name + "; keep one");
                }
            }
        } catch (IOException e) {
            throw IspdbException.usage("cannot read the folder " + dir + ": " + e.getMessage());
        }
        if (!unknown.isEmpty()) {
            throw IspdbException.usage(dir + ": " + String.join(", ", unknown) + " not named after a table; name each "
                    + "file after its table or alias: " + Table.allNames() + ", with .csv");
        }
        if (files.isEmpty()) {
            throw IspdbException.usage(dir + " has no CSV file named after a table (" + Table.allNames() + ")");
        }
        List<Loader.Source> sources = new ArrayList<>();
        files.forEach((t, p) -> {
            checkReadable(p);
            sources.add(new Loader.Source(t, p.toString(), size(p), () -> Files.newInputStream(p)));
        });
        return sources;
    }

    static final class OnErrorConverter extends WordConverter<Loader.OnError> {
        OnErrorConverter() {
            super(Loader.OnError.class);
        }
    }

    static final class ModeConverter extends WordConverter<Loader.Mode> {
        ModeConverter() {
            super(Loader.Mode.class);
        }
    }
}
