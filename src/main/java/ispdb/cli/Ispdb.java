package ispdb.cli;

import ispdb.ExitCodes;
import ispdb.IspdbException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Spec;

/** The root command: subcommands, help, version, and the one place where failures become exit codes. */
@Command(name = "ispdb",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Administers the customer-lifetime-value database of an internet service provider: "
                + "creates the schema, bulk-loads CSV exports, lists customers with their latest prediction, "
                + "records predictions, and computes customer stats, RFM summaries, survival curves and a report. "
                + "SQLite by default; PostgreSQL and MariaDB/MySQL through --url.",
        footer = {"", "Run 'ispdb COMMAND --help' for a command's options and examples."})
public final class Ispdb implements Runnable {
    /** The subcommands, in the order help lists them. */
    static final List<String> COMMANDS = List.of("init-schema", "load-csv", "ingest", "list-customers",
            "record-prediction", "schema-status", "refresh-customer-stats", "rfm-summary", "survival", "predict",
            "prune-predictions", "report", "history", "export", "copy", "check", "grant", "generate-completion",
            "help");

    /**
     * A new subcommand object by name: a switch rather than a table of constructor references, whose lambdas would be
     * spun (and the classes they name linked) at every start for the one command that runs.
     */
    private static Object command(String name) {
        return switch (name) {
            case "init-schema" -> new InitSchemaCommand();
            case "load-csv" -> new LoadCsvCommand();
            case "ingest" -> new IngestCommand();
            case "list-customers" -> new ListCustomersCommand();
            case "record-prediction" -> new RecordPredictionCommand();
            case "schema-status" -> new SchemaStatusCommand();
            case "refresh-customer-stats" -> new RefreshCustomerStatsCommand();
            case "rfm-summary" -> new RfmSummaryCommand();
            case "survival" -> new SurvivalCommand();
            case "predict" -> new PredictCommand();
            case "prune-predictions" -> new PrunePredictionsCommand();
            case "report" -> new ReportCommand();
            case "history" -> new HistoryCommand();
            case "export" -> new ExportCommand();
            // built as a CommandLine, which applies its model transformer (it has no --url)
            case "copy" -> new CommandLine(new CopyCommand());
            case "check" -> new CheckCommand();
            case "grant" -> new GrantCommand();
            case "generate-completion" -> new picocli.AutoComplete.GenerateCompletion();
            case "help" -> new CommandLine.HelpCommand();
            default -> throw new IllegalArgumentException("no command " + name);
        };
    }

    /** The exit codes, as every --help shows them. */
    static final Map<String, String> EXIT_CODES = exitCodes();

    @Spec
    CommandSpec spec;

    final Map<String, String> env;

    Ispdb(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    /**
     * The command line with its writers and environment (tests pass their own), its handlers wired: an
     * {@link IspdbException} prints its message and returns its exit code; a parse error prints one line and a
     * hint and returns 2; anything else is an internal error (70), its stack trace shown only with --verbose.
     */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err, Map<String, String> env) {
        return commandLine(out, err, env, null);
    }

    /**
     * The same, with only the subcommand {@code first} (the first argument) if it names one: picocli builds
     * every command it knows by reflection at start, a fifth of a short command's time.
     */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, Map<String, String> env, String first) {
        CommandLine cl = new CommandLine(new Ispdb(env));
        // help and generate-completion describe every command, so they need them all
        if (first != null && COMMANDS.contains(first) && !first.equals("help") && !first.equals("generate-completion")) {
            cl.addSubcommand(first, command(first));
        } else if ("--version".equals(first) || "-V".equals(first)) {
            // the version alone needs no command at all
        } else {
            for (String name : COMMANDS) {
                cl.addSubcommand(name, command(name));
            }
            CommandLine completion = cl.getSubcommands().get("generate-completion");
            completion.getCommandSpec().usageMessage().hidden(false)
                    .description("Prints the bash/zsh completion script of ispdb.", "", "Example:",
                            "  source <(ispdb generate-completion)", "");
        }
        cl.setOut(out);
        cl.setErr(err);
        // - and /dev/stdout as an output file are these writers, in order with what the command prints
        ispdb.files.OutputFile.standardStreams(out, err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        Numbers.register(cl);
        cl.setExecutionExceptionHandler(Ispdb::handleExecutionException);
        cl.setParameterExceptionHandler(Ispdb::handleParameterException);
        apply(cl);
        return cl;
    }

    private static void apply(CommandLine cl) {
        cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(EXIT_CODES);
        cl.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_DESCRIPTION, Ispdb::description);
        for (CommandLine sub : cl.getSubcommands().values()) {
            apply(sub);
        }
    }

    /**
     * A command's description as picocli renders it, paragraphs wrapped at the usage width, except that a line
     * indented by two spaces (an example command) is printed as it is: wrapped, it would break when copied.
     */
    private static String description(CommandLine.Help help) {
        UsageMessageSpec usage = help.commandSpec().usageMessage();
        StringBuilder text = new StringBuilder();
        for (String line : usage.description()) {
            if (line.startsWith("  ")) {
                text.append(String.format(line)).append(System.lineSeparator());
            } else {
                CommandLine.Help.join(help.ansi(), usage.width(), usage.adjustLineBreaksForWideCJKCharacters(),
                        new String[] {line}, text);
            }
        }
        return text.toString();
    }

    private static Map<String, String> exitCodes() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put(Integer.toString(ExitCodes.OK), "success");
        codes.put(Integer.toString(ExitCodes.REJECTED), "data rejected, nothing written; check: findings");
        codes.put(Integer.toString(ExitCodes.USAGE), "usage error");
        codes.put(Integer.toString(ExitCodes.DATABASE),
                "cannot connect, the schema is missing (run init-schema), or the database refused the work");
        codes.put(Integer.toString(ExitCodes.PARTIAL), "loaded, but some rows (--on-error skip) or files (ingest) failed");
        codes.put(Integer.toString(ExitCodes.INTERNAL), "internal error (a bug: please report it with --verbose)");
        codes.put(Integer.toString(ExitCodes.NO_JAVA), "the launcher cannot find Java 17+ (or, to build, Maven)");
        codes.put(Integer.toString(ExitCodes.INTERRUPTED), "interrupted (Ctrl-C) before the work committed");
        codes.put(Integer.toString(ExitCodes.PIPE_CLOSED), "standard output was closed by its reader (| head)");
        codes.put(Integer.toString(ExitCodes.TERMINATED), "ended by SIGTERM before the work committed");
        return codes;
    }

    private static int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        DatabaseCommand command = cl.getCommand() instanceof DatabaseCommand c ? c : null;
        boolean verbose = command != null && command.common.verbose;
        // what drivers put in exceptions may quote the URL, password and all: shown only scrubbed
        java.util.function.UnaryOperator<String> scrub = command != null ? command::scrub : ispdb.db.Urls::redact;
        if (e instanceof IspdbException failure) {
            String message = failure.getMessage();
            err.println(message.indexOf('\n') < 0 ? "ispdb: " + message : message);
            Logging.logger().error(message);
            if (verbose && failure.getCause() != null) {
                err.print(scrub.apply(stackTrace(failure.getCause())));
            }
            err.flush();
            return failure.exitCode();
        }
        err.println("ispdb: internal error: " + scrub.apply(e.toString())
                + (verbose ? "" : " (rerun with --verbose for details; please report it)"));
        String trace = scrub.apply(stackTrace(e));
        Logging.logger().error("internal error: {}", trace);
        if (verbose) {
            err.print(trace);
        }
        err.flush();
        return ExitCodes.INTERNAL;
    }

    private static String stackTrace(Throwable t) {
        java.io.StringWriter s = new java.io.StringWriter();
        t.printStackTrace(new PrintWriter(s));
        return s.toString();
    }

    /** The edit distance of two words (Levenshtein). */
    static int distance(String a, String b) {
        int[] row = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            row[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int above = row[j];
                row[j] = Math.min(Math.min(row[j] + 1, row[j - 1] + 1),
                        diagonal + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.length()];
    }

    private static int handleParameterException(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        // "Invalid value for option '--customer': 'abc' is not a whole number" -> "--customer: 'abc' is ..."
        String message = e.getMessage().replaceFirst("^Invalid value for option '([^']+)': ", "$1: ");
        err.println("ispdb: " + message);
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            // 'ispdb load': "Did you mean: ispdb load-csv?" (picocli's own suggestions for 'frobnicate' are any three)
            String word = unmatched.getUnmatched().get(0);
            java.util.List<String> near = new java.util.ArrayList<>();
            for (String name : cl.getSubcommands().keySet()) {
                if (word.length() >= 2 && (name.startsWith(word) || word.startsWith(name))
                        || distance(word, name) <= 2) {
                    near.add(cl.getCommandSpec().qualifiedName() + " " + name);
                }
            }
            if (!near.isEmpty()) {
                err.println("Did you mean: " + String.join(" or ", near) + "?");
            }
        }
        err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return ExitCodes.USAGE;
    }
}
