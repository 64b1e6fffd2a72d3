package ispdb.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Build-time only (run by Maven in prepare-package; left out of the shaded jar, as is picocli-codegen): writes, from the same picocli model
 * that parses ispdb's command line, the man pages' AsciiDoc sources (asciidoctor turns them into roff) and the
 * bash/zsh completion script. So the man pages and the completion never drift from --help. ispdb(1) adds the
 * sections a command's man page has beyond --help (ENVIRONMENT, FILES, SEE ALSO); every page gets the manual's name,
 * an EXIT STATUS section (the exit codes of --help) and a SEE ALSO.
 *
 * <p>Arguments: the folder for the AsciiDoc files, and the completion script's path.
 */
public final class Documentation {
    private Documentation() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: Documentation ADOC_FOLDER COMPLETION_FILE");
        }
        CommandLine cl = commandLine();
        Path adoc = Path.of(args[0]);
        Files.createDirectories(adoc);
        int code = ManPageGenerator.generateManPage(adoc.toFile(), null, new boolean[0], true, cl.getCommandSpec());
        if (code != 0) {
            throw new IllegalStateException("the man page generator failed with " + code);
        }
        try (var pages = Files.list(adoc)) {
            for (Path page : pages.filter(p -> p.toString().endsWith(".adoc")).toList()) {
                String text = manSections(literalExamples(Files.readString(page, StandardCharsets.UTF_8)));
                boolean root = page.getFileName().toString().equals("ispdb.adoc");
                text = text.replace(FOOTER, (root ? rootSections(cl) : "== See also\n\n*ispdb*(1)\n\n") + FOOTER);
                Files.writeString(page, text, StandardCharsets.UTF_8);
            }
        }
        Path completion = Path.of(args[1]);
        Files.createDirectories(completion.toAbsolutePath().getParent());
        Files.writeString(completion, withoutHashbang(AutoComplete.bash("ispdb", cl)), StandardCharsets.UTF_8);
    }

    /** Where the generator leaves room after its sections (the footer, empty): what is added goes before it. */
    static final String FOOTER = "// tag::picocli-generated-man-section-footer[]";

    /**
     * The manual's name as man-pages(7) has it for section 1 (the generator would write "Ispdb Manual"), and the exit
     * codes under the usual heading, EXIT STATUS (--help's "Exit codes:" heading would be "EXIT CODES:").
     */
    static String manSections(String adoc) {
        String text = adoc.replaceFirst("(?m)^:manmanual: .*$", ":manmanual: User Commands");
        return text.replaceFirst("(?m)^==\\s+Exit codes:\\s*$", "== Exit status");
    }

    /**
     * ispdb(1)'s ENVIRONMENT, FILES and SEE ALSO: what the commands and the launcher (bin/ispdb) read, and every
     * command's page. docs/settings.md and docs/install.md say the same at length.
     */
    static String rootSections(CommandLine cl) {
        StringBuilder s = new StringBuilder();
        s.append("== Environment\n\n");
        item(s, "ISPDB_URL", "The database's JDBC URL where no --url is given; it outranks the settings file's url.");
        item(s, "ISPDB_USER", "The database user where no --user is given; it outranks the settings file's user.");
        item(s, "ISPDB_PASSWORD", "The database password where no --password-file is given; it outranks the settings "
                + "file's password-file.");
        item(s, "ISPDB_CONFIG", "The settings file where no --config is given; it must exist.");
        item(s, "XDG_CONFIG_HOME", "The folder of the default settings file, ispdb/ispdb.properties in it "
                + "(default: ~/.config).");
        item(s, "HOME", "The user's home, for ~/.config and ~/.cache (where it is unset, the home of the user's "
                + "passwd entry).");
        item(s, "ISPDB_JAVA", "The Java the launcher runs: a java program, or a Java folder with bin/java (for "
                + "example a newer Java for ispdb alone: from Java 25 on it starts faster, with an ahead-of-time cache); "
                + "it comes before JAVA_HOME.");
        item(s, "JAVA_HOME", "The launcher runs $JAVA_HOME/bin/java where it is executable, else java on PATH; it "
                + "must be Java 17 or newer (else exit status 127).");
        item(s, "ISPDB_JAVA_OPTS", "Options the launcher passes to Java, for example -Xmx1g.");
        item(s, "XDG_CACHE_HOME", "The folder of the launcher's start-up cache, ispdb/ in it (default: ~/.cache).");
        s.append("== Files\n\n");
        item(s, "~/.config/ispdb/ispdb.properties", "The settings file (url, user, password-file, busy-timeout, "
                + "log-file), read if it exists; $XDG_CONFIG_HOME/ispdb/ispdb.properties where XDG_CONFIG_HOME is set. "
                + "--config FILE or $ISPDB_CONFIG name another one. It holds no password: password-file names a file "
                + "only its owner may read.");
        item(s, "~/.cache/ispdb/", "The launcher's start-up cache (a class-data archive and sqlite-jdbc's native "
                + "library), made on the first run; $XDG_CACHE_HOME/ispdb where XDG_CACHE_HOME is set, lib/cache/ in a "
                + "release archive's installation its user owns and may write to. It may be deleted at any time.");
        item(s, "ispdb.sqlite", "The database when no URL is given (--url, $ISPDB_URL, url in the settings file): "
                + "jdbc:sqlite:ispdb.sqlite, in the current folder.");
        s.append("== See also\n\n");
        StringJoiner pages = new StringJoiner(", ", "", ".\n\n");
        for (String name : cl.getSubcommands().keySet()) {
            pages.add("*ispdb-" + name + "*(1)");
        }
        s.append(pages).append("The README (/usr/share/doc/ispdb/README.md in the Debian package, README.md in the "
                + "release archive) introduces each command; the docs/ folder beside it explains them at length, "
                + "docs/commands.md with every command's --help.\n\n");
        return s.toString();
    }

    private static void item(StringBuilder s, String term, String text) {
        s.append('*').append(term).append("*::\n  ").append(text).append("\n\n");
    }

    /** The completion script is sourced, never run: no "#!" line (lintian: bash-completion-with-hashbang). */
    static String withoutHashbang(String script) {
        return script.startsWith("#!") ? script.substring(script.indexOf('\n') + 1) : script;
    }

    /**
     * The descriptions give their examples as lines indented by two spaces after an "Examples:" line, as --help
     * shows them; AsciiDoc keeps their line breaks only as a literal paragraph of their own (a blank line before).
     */
    static String literalExamples(String adoc) {
        StringBuilder b = new StringBuilder(adoc.length() + 64);
        boolean inDescription = false;
        String previous = "";
        for (String line : adoc.split("\n", -1)) {
            if (line.startsWith("== ")) {
                inDescription = line.equals("== Description");
            }
            if (inDescription && line.startsWith("  ") && !previous.isEmpty() && !previous.startsWith("  ")) {
                b.append('\n');
            }
            b.append(line).append('\n');
            previous = line;
        }
        return b.substring(0, b.length() - 1);
    }

    /** Where docs/commands.md holds a command's --help: between this line and {@link #HELP_END}. */
    private static final Pattern HELP_BLOCK = Pattern.compile(
            "(?m)^<!-- help: ispdb( [a-z-]+)? -->\n(?s:.*?)^<!-- end help -->$");
    static final String HELP_END = "<!-- end help -->";

    /**
     * docs/commands.md, the CLI reference, with the usage text of every command written in again from the picocli
     * model that parses the command line, as {@code ispdb COMMAND --help} prints it: the page's own words (an
     * introduction per command) stay, and each block between {@code <!-- help: ispdb COMMAND -->} and
     * {@code <!-- end help -->} becomes that command's help. The page must have one block for ispdb itself and one
     * for every command (help aside), so that a new command cannot be left out.
     */
    public static String commandsReference(String page) {
        CommandLine cl = commandLine();
        Set<String> wanted = new LinkedHashSet<>();
        wanted.add("");
        cl.getSubcommands().keySet().stream().filter(name -> !name.equals("help")).forEach(wanted::add);
        Set<String> found = new LinkedHashSet<>();
        Matcher m = HELP_BLOCK.matcher(page);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) == null ? "" : m.group(1).substring(1);
            if (!wanted.contains(name) || !found.add(name)) {
                throw new IllegalStateException("docs/commands.md: a help block for 'ispdb " + name + "', which is "
                        + (found.contains(name) ? "there twice" : "no command"));
            }
            CommandLine command = name.isEmpty() ? cl : cl.getSubcommands().get(name);
            String usage = command.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing();
            String block = "<!-- help: ispdb" + (name.isEmpty() ? "" : " " + name) + " -->\n```text\n$ ispdb"
                    + (name.isEmpty() ? "" : " " + name) + " --help\n" + usage + "\n```\n" + HELP_END;
            m.appendReplacement(out, Matcher.quoteReplacement(block));
        }
        m.appendTail(out);
        wanted.removeAll(found);
        if (!wanted.isEmpty()) {
            throw new IllegalStateException("docs/commands.md has no help block for: " + wanted.stream()
                    .map(name -> "ispdb " + name).toList() + " (add '<!-- help: ispdb COMMAND -->' and '"
                    + HELP_END + "' lines with an introduction)");
        }
        return out.toString();
    }

    /** ispdb's whole command line, as the application builds it. */
    static CommandLine commandLine() {
        StringWriter sink = new StringWriter();
        return Ispdb.commandLine(new PrintWriter(sink), new PrintWriter(sink), Map.of());
    }
}
