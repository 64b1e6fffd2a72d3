package ispdb.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Build-time only (run by Maven in prepare-package; left out of the shaded jar, as is picocli-codegen): writes, from the same picocli model
 * that parses ispdb's command line, the man pages' AsciiDoc sources (asciidoctor turns them into roff) and the
 * bash/zsh completion script. So the man pages and the completion never drift from --help.
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
                Files.writeString(page, literalExamples(Files.readString(page, StandardCharsets.UTF_8)),
                        StandardCharsets.UTF_8);
            }
        }
        Path completion = Path.of(args[1]);
        Files.createDirectories(completion.toAbsolutePath().getParent());
        Files.writeString(completion, AutoComplete.bash("ispdb", cl), StandardCharsets.UTF_8);
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

    /** ispdb's whole command line, as the application builds it. */
    static CommandLine commandLine() {
        StringWriter sink = new StringWriter();
        return Ispdb.commandLine(new PrintWriter(sink), new PrintWriter(sink), Map.of());
    }
}
