package ispdb.cli;

import ispdb.IspdbException;
import ispdb.db.Database;
import ispdb.load.CsvSource;
import ispdb.load.LoadOptions;
import ispdb.load.LoadResult;
import ispdb.load.Loader;
import ispdb.model.Table;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
            "  ispdb load-csv --table transactions tx.csv.gz",
            "  gunzip -c tx.csv.gz | ispdb load-csv --table transactions -",
            "  ispdb load-csv --table transactions tx.csv --on-error skip --reject-file rejects.csv",
            "  ispdb load-csv --table customers export.csv --delimiter ';' --encoding windows-1252 --mode upsert",
            "",
            "Gzip files (FILE, standard input, *.csv.gz in --dir) are read as they are. Every load is recorded "
                + "in the load journal ('ispdb history'); a predictions file that was loaded before is refused "
                + "unless --again is given.",
            "",
            "While loading, a progress bar shows on standard error when it is a terminal (not with --quiet)."})
final class LoadCsvCommand extends DatabaseCommand {
    @Option(names = "--table", paramLabel = "TABLE", completionCandidates = TableNames.class,
            description = "The table FILE goes into: dim_payment_method, dim_customer, fact_transaction, "
                    + "clv_prediction, or payment-methods, customers, transactions, predictions.")
    String table;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
            description = "The CSV file (or gzip-compressed CSV); - reads standard input.")
    String file;

    // a second FILE and more (a shell glob that matched several files) is a usage error with a sentence of its own,
    // not picocli's "Unmatched argument"; hidden, so that the synopsis shows the one FILE load-csv takes
    @Parameters(index = "1..*", paramLabel = "FILE", hidden = true)
    List<String> moreFiles;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Load every CSV file in DIR, each named after its table or alias "
                    + "(dim_customer.csv or customers.csv, ...), parents first, all or nothing.")
    Path dir;

    @Mixin
    LoadFlags load;

    @Mixin
    CsvFlags csv;

    @Override
    int execute() {
        List<CsvSource> sources = sources();
        LoadOptions options = options();
        checkOutput("--reject-file", load.rejectFile, ispdb.files.OutputFile.Kind.REJECTS);
        LoadResult result;
        try (Database db = open(false)) {
            db.requireSchema();
            result = Loader.load(db, sources, options);
        }
        loaded(result);
        if (!load.quiet.on()) {
            out().println(Summaries.load(result, load.rejectFile));
        }
        return result.rejected() > 0 ? ispdb.ExitCodes.PARTIAL : 0;
    }

    private LoadOptions options() {
        load.check();
        return csv.applyTo(load.options(spec.name(), err())).build();
    }

    private List<CsvSource> sources() {
        if (moreFiles != null && !moreFiles.isEmpty()) {
            List<String> files = new java.util.ArrayList<>(List.of(file));
            files.addAll(moreFiles);
            throw IspdbException.usage("load-csv takes one FILE, and was given " + files.size() + " ("
                    + String.join(", ", files.subList(0, Math.min(3, files.size()))) + (files.size() > 3 ? ", ..." : "")
                    + "): load a folder of exports with --dir DIR, or run load-csv once per file");
        }
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
        return List.of(CsvSource.of(t, file));
    }

    /**
     * The exports in a folder, one per table, parents first: each file named after its table or alias, as
     * {@code .csv} or {@code .csv.gz}. Any other file is a usage error (a load that silently left a file out
     * would look complete).
     */
    static List<CsvSource> folder(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw IspdbException.usage("--dir " + dir + " is not a folder");
        }
        Map<Table, Path> files = new EnumMap<>(Table.class);
        List<String> unknown = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (Files.isDirectory(p)) {
                    continue; // a folder is not a file of this load (--dir does not descend)
                }
                String name = p.getFileName().toString();
                Table t = CsvSource.tableOf(name, false).orElse(null);
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
            unknown.sort(null);
            throw IspdbException.usage(dir + ": " + String.join(", ", unknown) + (unknown.size() == 1 ? " is" : " are")
                    + " not named after a table, and --dir loads every file in the folder: name each file after its "
                    + "table or alias (" + Table.allNames() + ") with .csv or .csv.gz, or move the others out");
        }
        if (files.isEmpty()) {
            throw IspdbException.usage(dir + " has no CSV file named after a table (" + Table.allNames() + ")");
        }
        List<CsvSource> sources = new ArrayList<>();
        files.forEach((t, p) -> sources.add(CsvSource.of(t, p.toString(), p)));
        return sources;
    }

    /** The settings and password files, the CSV file, or every file in --dir. */
    @Override
    List<Path> inputs() {
        List<Path> inputs = super.inputs();
        if (file != null && !file.equals("-")) {
            inputs.add(Path.of(file));
        }
        if (dir != null && Files.isDirectory(dir)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                entries.forEach(inputs::add);
            } catch (IOException e) {
                // found and said when the load reads the folder
            }
        }
        return inputs;
    }
}
