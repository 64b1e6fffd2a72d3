package ispdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.cli.Ispdb;
import ispdb.model.Table;
import ispdb.testing.Cli;
import ispdb.testing.Fixtures;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * `ispdb generate-completion` prints a bash completion script that completes commands and options in a real bash,
 * and offers for every option exactly the values the parser accepts.
 */
public class CompletionTest {
    @TempDir
    Path tmp;

    @Test
    void bashCompletesCommandsAndOptions() throws Exception {
        Path script = script();
        assertEquals("load-csv", complete(script, "ispdb lo"));
        assertEquals("--table", complete(script, "ispdb load-csv --ta"));
        assertEquals("--sort", complete(script, "ispdb list-customers --so"));
        assertEquals("generate-completion", complete(script, "ispdb gen"));
        assertEquals("skip-existing", complete(script, "ispdb load-csv --mode sk"));
        assertEquals("log-log", complete(script, "ispdb survival --ci log-"));
        assertEquals("customer-type", complete(script, "ispdb survival --by cu"));
        assertEquals("customers", complete(script, "ispdb load-csv --table custo"));
        assertEquals("dim_customer", complete(script, "ispdb export --table dim_cu"));
    }

    /**
     * Every option of every command, enumerated from the command line's own model: an option with a closed set of
     * values (an enum) offers candidates, bash offers exactly those, each of them is accepted by the parser, every
     * value the parser accepts is one of them (each constant's spellings are tried), and a few others are refused.
     */
    @Test
    void everyOptionOffersExactlyTheValuesTheParserAccepts() throws Exception {
        Path script = script();
        CommandLine cl = Ispdb.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                Map.of());
        int checked = 0;
        for (Map.Entry<String, CommandLine> command : cl.getSubcommands().entrySet()) {
            String name = command.getKey();
            for (OptionSpec option : command.getValue().getCommandSpec().options()) {
                if (option.arity().max() == 0) {
                    continue;
                }
                String where = name + " " + option.longestName();
                List<String> candidates = new ArrayList<>();
                if (option.completionCandidates() != null) {
                    option.completionCandidates().forEach(candidates::add);
                }
                if (option.type().isEnum()) {
                    assertFalse(candidates.isEmpty(), where + " has a closed set of values and offers none");
                    Set<Object> reached = new LinkedHashSet<>();
                    for (String candidate : candidates) {
                        Object value = parse(cl, name, option.longestName(), candidate);
                        assertNotNull(value, where + " " + candidate + " is offered and refused");
                        reached.add(value);
                    }
                    for (Object constant : option.type().getEnumConstants()) {
                        String constantName = ((Enum<?>) constant).name();
                        for (String spelling : List.of(constantName, constantName.toLowerCase(Locale.ROOT),
                                constantName.toLowerCase(Locale.ROOT).replace('_', '-'))) {
                            Object value = parse(cl, name, option.longestName(), spelling);
                            assertTrue(value == null || reached.contains(value) && candidates.stream()
                                    .anyMatch(spelling::equalsIgnoreCase),
                                    where + " accepts " + spelling + ", which is not among the offered " + candidates);
                        }
                    }
                    for (String other : List.of("x", "", candidates.get(0) + "x", "_" + candidates.get(0))) {
                        assertEquals(null, parse(cl, name, option.longestName(), other),
                                where + " accepts '" + other + "', which is not offered");
                    }
                } else if (option.longestName().equals("--table")) {
                    List<String> names = new ArrayList<>();
                    for (Table t : Table.values()) {
                        names.add(t.alias());
                        names.add(t.tableName());
                    }
                    assertEquals(names, candidates, where);
                } else {
                    assertTrue(candidates.isEmpty(), where + " offers " + candidates + " for a value of any form");
                }
                if (!candidates.isEmpty()) {
                    assertEquals(candidates, List.of(complete(script, "ispdb " + name + " " + option.longestName()
                            + " ").split("\n")), where + ": what bash offers");
                    checked++;
                }
            }
        }
        // load-csv and export --table; --format of the listing commands and export; --mode, --on-error, --sort,
        // --freq, --by, --ci
        assertTrue(checked >= 15, "options with candidates: " + checked);
    }

    /** --table's candidates are the tables: export takes each of them, and refuses a name that is not one. */
    @Test
    void everyTableCandidateIsATable() {
        Cli cli = new Cli();
        String url = "jdbc:sqlite:" + tmp.resolve("tables.sqlite");
        Cli.Run init = cli.run("init-schema", "--url", url);
        assertEquals(0, init.exitCode(), init::toString);
        for (Table t : Table.values()) {
            for (String name : List.of(t.alias(), t.tableName())) {
                Cli.Run export = cli.run("export", "--url", url, "--table", name);
                assertEquals(0, export.exitCode(), export::toString);
                assertTrue(export.out().startsWith(t.columns().get(0).name() + ","), export::toString);
            }
        }
        Cli.Run other = cli.run("export", "--url", url, "--table", "customer");
        assertEquals(2, other.exitCode(), other::toString);
        Cli.Run load = cli.run("load-csv", "--url", url, "--table", "dim_customers", "-");
        assertEquals(2, load.exitCode(), load::toString);
    }

    /** What the parser makes of {@code command option value}: the option's value, or null if it refuses it. */
    private static Object parse(CommandLine cl, String command, String option, String value) {
        try {
            cl.parseArgs(command, option, value);
        } catch (CommandLine.MissingParameterException e) {
            // another option is required (export --table): the value was read all the same
        } catch (CommandLine.ParameterException e) {
            return null;
        }
        return cl.getSubcommands().get(command).getCommandSpec().findOption(option).getValue();
    }

    private Path script() {
        Cli.Run r = new Cli().run("generate-completion");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().startsWith("#!/usr/bin/env bash"), r.out());
        return Fixtures.write(tmp, "ispdb-completion", r.out());
    }

    /**
     * What bash offers for {@code line} with the cursor at its end (after a space: a new, empty word): the script's
     * completion function, called as bash calls it, with COMP_WORDS and COMP_CWORD set.
     */
    public static String complete(Path script, String line) throws IOException, InterruptedException {
        return complete(script, line, "_complete_ispdb");
    }

    public static String complete(Path script, String line, String function) throws IOException, InterruptedException {
        String program = "source \"$1\" >/dev/null 2>&1\n"
                + "read -r -a COMP_WORDS <<< \"$2\"\n"
                + "if [[ \"$2\" == *' ' ]]; then COMP_WORDS+=(''); fi\n"
                + "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMP_LINE=\"$2\"; COMP_POINT=${#COMP_LINE}\n"
                + "\"$3\" \"${COMP_WORDS[0]}\" \"${COMP_WORDS[$COMP_CWORD]}\" 2>/dev/null\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        Process p = new ProcessBuilder(List.of("bash", "-c", program, "bash", script.toString(), line, function))
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "bash ended");
        assertEquals(0, p.exitValue(), out);
        return out.strip();
    }
}
