package ispdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ispdb.cli.Ispdb;
import ispdb.testing.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * The examples in every command's --help: each is printed whole on one line (picocli wraps description lines at
 * 80 columns, and a wrapped example breaks when it is copied), and each is a command line ispdb accepts.
 */
class HelpExamplesTest {
    /** Every command but help, as the real command line knows them (a new command is checked without a change here). */
    static Stream<String> commands() {
        return root().getSubcommands().keySet().stream().filter(name -> !name.equals("help"));
    }

    static CommandLine root() {
        return Ispdb.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), Map.of());
    }

    /** The example lines a command declares: the lines indented by two spaces after "Example:" or "Examples:". */
    static List<String> declaredExamples(String command) {
        List<String> examples = new ArrayList<>();
        boolean inExamples = false;
        for (String line : root().getSubcommands().get(command).getCommandSpec().usageMessage().description()) {
            if (line.matches("Examples?:")) {
                inExamples = true;
            } else if (inExamples && line.startsWith("  ")) {
                examples.add(line.strip());
            } else {
                inExamples = false;
            }
        }
        return examples;
    }

    @ParameterizedTest(name = "ispdb {0} --help")
    @MethodSource("commands")
    void everyExampleIsOneWholeLineOfTheHelp(String command) {
        List<String> examples = declaredExamples(command);
        assertFalse(examples.isEmpty(), "ispdb " + command + " --help shows no example");
        Cli.Run help = new Cli().run(command, "--help");
        assertEquals(0, help.exitCode(), help::toString);
        List<String> lines = help.out().lines().map(String::strip).toList();
        for (String example : examples) {
            assertTrue((example + " ").startsWith("ispdb " + command + " ")
                    || example.contains("| ispdb " + command + " ") || (example + " ").contains("<(ispdb " + command),
                    () -> "not an ispdb " + command + " command: "
                    + example);
            assertTrue(lines.contains(example), () -> "the example is not on one line of the help: '" + example
                    + "'\n" + help.out());
            int at = lines.indexOf(example);
            String next = at + 1 < lines.size() ? lines.get(at + 1) : "";
            assertTrue(next.isEmpty() || examples.contains(next) || next.startsWith("-"),
                    () -> "the line after the example '" + example + "' continues it: '" + next + "'");
        }
        // the same holds for `ispdb help COMMAND`
        assertEquals(help.out(), new Cli().run("help", command).out());
    }

    @ParameterizedTest(name = "ispdb {0} --help")
    @MethodSource("commands")
    void everyExampleIsACommandLineIspdbAccepts(String command) {
        for (String example : declaredExamples(command)) {
            List<String> args = ispdbArguments(example);
            try {
                root().parseArgs(args.toArray(String[]::new));
            } catch (CommandLine.ParameterException e) {
                fail("the example '" + example + "' is not a valid command line: " + e.getMessage());
            }
        }
    }

    /** The arguments of the ispdb command in a shell line: after "ispdb", up to a pipe or redirection. */
    static List<String> ispdbArguments(String example) {
        // a process substitution, as in "source <(ispdb generate-completion)", holds the command
        List<String> words = shellWords(example).stream()
                .map(w -> w.startsWith("<(") ? w.substring(2) : w)
                .map(w -> w.endsWith(")") && !w.contains("(") ? w.substring(0, w.length() - 1) : w).toList();
        int start = words.indexOf("ispdb");
        assertTrue(start >= 0, () -> "no ispdb command in '" + example + "'");
        List<String> args = new ArrayList<>();
        for (String word : words.subList(start + 1, words.size())) {
            if (word.equals("|") || word.startsWith(">") || word.startsWith("<")) {
                break;
            }
            args.add(word);
        }
        return args;
    }

    /** Words split at blanks, with single and double quotes as a POSIX shell reads them (no expansions). */
    static List<String> shellWords(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (char c : line.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                word = word == null ? new StringBuilder() : word;
            } else if (c == ' ') {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        assertEquals(0, quote, () -> "an unclosed quote in '" + line + "'");
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    /**
     * picocli reads every description as a format string: a lone "%" ("95% interval") makes the man pages' build
     * fail, and prints raw in --help. A literal percent sign is written "%%".
     */
    @ParameterizedTest(name = "ispdb {0}")
    @MethodSource("commands")
    void everyDescriptionIsAValidFormatString(String command) {
        CommandLine.Model.CommandSpec spec = root().getSubcommands().get(command).getCommandSpec();
        // (an option's description() comes back with "%%" already read as "%")
        List<String> texts = new ArrayList<>(List.of(spec.usageMessage().description()));
        for (String text : texts) {
            try {
                String.format(text.replace("${DEFAULT-VALUE}", "x").replace("${COMPLETION-CANDIDATES}", "x"));
            } catch (java.util.IllegalFormatException e) {
                fail("ispdb " + command + ": not a valid format string (" + e + "): " + text);
            }
        }
    }
}
