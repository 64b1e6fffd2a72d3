package ispdb.cli;

import ispdb.ExitCodes;
import ispdb.IspdbException;
import ispdb.db.Predictions;
import ispdb.db.Retry;
import ispdb.load.CsvSource;
import ispdb.load.LoadOptions;
import ispdb.load.LoadResult;
import ispdb.load.Loader;
import ispdb.load.OnError;
import ispdb.model.Table;
import ispdb.model.Values;
import java.nio.file.Files;
import java.time.LocalDateTime;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "record-prediction", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Appends a prediction for a customer and prints its prediction_id; or appends many from a "
                + "CSV file (columns as clv_prediction: customer_id, clv, predicted_customer_type, "
                + "is_campaign1_success, is_campaign2_success) in one transaction, all or nothing. "
                + "predicted_at is set to the current UTC time unless the file gives it.",
            "", "Examples:",
            "  ispdb record-prediction --customer 42 --clv 1830.25 --type Star --campaign1 yes",
            "  ispdb record-prediction --file predictions.csv",
            "  model.py | ispdb record-prediction --file -",
            "  ispdb record-prediction --file p.csv --on-error skip --reject-file bad.csv",
            "",
            "A file whose bytes were loaded before (see 'ispdb history') is refused unless --again is given: "
                + "predictions have no key of their own that would stop a second copy."})
final class RecordPredictionCommand extends DatabaseCommand {
    @Option(names = "--customer", paramLabel = "ID", description = "The customer_id.")
    Long customer;

    @Option(names = "--clv", paramLabel = "X", description = "The predicted customer lifetime value.")
    Double clv;

    @Option(names = "--type", paramLabel = "T", description = "The predicted customer type (Star, Loyal, ...).")
    String type;

    // read as text and converted in execute(): picocli hands a Boolean option's converter "false" in place of an
    // empty value, so --campaign1 '' was silently recorded as false
    @Option(names = "--campaign1", paramLabel = "BOOL", arity = "1",
            description = "Whether campaign 1 is predicted to succeed: true/false, 1/0, yes/no.")
    String campaign1;

    @Option(names = "--campaign2", paramLabel = "BOOL", arity = "1",
            description = "Whether campaign 2 is predicted to succeed: true/false, 1/0, yes/no.")
    String campaign2;

    @Option(names = "--file", paramLabel = "FILE", description = "Append the predictions in a CSV file; - reads standard input.")
    String file;

    @Mixin
    LoadFlags load;

    @Override
    int execute() {
        if (file != null) {
            if (customer != null || clv != null || type != null || campaign1 != null || campaign2 != null) {
                throw IspdbException.usage("--file takes the predictions from the file: leave out --customer, --clv, "
                        + "--type, --campaign1 and --campaign2");
            }
            return fromFile();
        }
        if (load.onError != OnError.FAIL || load.rejectFile != null || load.again) {
            throw IspdbException.usage("--on-error, --reject-file and --again go with --file");
        }
        if (customer == null || clv == null) {
            throw IspdbException.usage("give --customer ID and --clv X (or --file FILE)");
        }
        if (!Double.isFinite(clv)) {
            throw IspdbException.usage("--clv must be a number, not " + clv);
        }
        String t = type == null || type.isEmpty() ? null : type;
        Boolean c1 = bool("--campaign1", campaign1);
        Boolean c2 = bool("--campaign2", campaign2);
        // retried after a lost connection or a conflict (a cluster node that died, a primary that stopped), never
        // written twice: see Retry
        long id = Predictions.record(() -> open(false), customer, clv, t, c1, c2);
        LogManager.getLogger("ispdb").info("recorded prediction_id {} for customer {} (clv {})", id, customer, clv);
        out().println(id);
        return 0;
    }

    private int fromFile() {
        CsvSource source = CsvSource.of(Table.PREDICTION, file);
        load.check();
        checkOutput("--reject-file", load.rejectFile, ispdb.files.OutputFile.Kind.REJECTS);
        LoadOptions options = load.options(spec.name(), err()).build();
        // retried after a lost connection or a conflict, as the single prediction is; the run's start time, which
        // the journal records with the file in the load's own transaction, tells whether an attempt committed
        LocalDateTime started = Loader.startTime();
        LoadResult result = Retry.exactlyOnce(() -> open(false), db -> {
            db.requireSchema();
            return Loader.load(db, List.of(source), options, started);
        }, db -> Loader.committedEarlier(db, source, options, started),
                source.file() != null && Files.isRegularFile(source.file()));
        loaded(result);
        if (!load.quiet.on()) {
            out().println("recorded " + result.loaded() + (result.loaded() == 1 ? " prediction" : " predictions")
                    + (result.rejected() > 0 ? "; rejected " + result.rejected() + " (see " + load.rejectFile + ")" : "")
                    + Summaries.timing(result));
        }
        return result.rejected() > 0 ? ExitCodes.PARTIAL : ExitCodes.OK;
    }

    /** The value of a BOOL option, or null if it was not given; anything else is a usage error (exit code 2). */
    private Boolean bool(String option, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Values.parseBoolean(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                     option + ": " + e.getMessage());
        }
    }

    /** The settings and password files, and --file. */
    @Override
    List<java.nio.file.Path> inputs() {
        List<java.nio.file.Path> inputs = super.inputs();
        if (file != null && !file.equals("-")) {
            inputs.add(java.nio.file.Path.of(file));
        }
        return inputs;
    }
}
