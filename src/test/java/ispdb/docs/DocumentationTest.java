package ispdb.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.cli.Documentation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The documents: docs/commands.md is the help the code prints, every relative link and #anchor of README.md,
 * CHANGELOG.md and docs/*.md resolves, and the README stays short, with its Contents in the order of its sections.
 */
class DocumentationTest {
    /** Set to true (-Dispdb.docs.update=true) to write docs/commands.md from the code instead of comparing. */
    static final String UPDATE = "ispdb.docs.update";

    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path COMMANDS = ROOT.resolve("docs/commands.md");

    @Test
    void theCommandsPageIsTheHelpOfEveryCommand() throws IOException {
        String page = Files.readString(COMMANDS, StandardCharsets.UTF_8);
        String generated = Documentation.commandsReference(page);
        if (Boolean.getBoolean(UPDATE)) {
            Files.writeString(COMMANDS, generated, StandardCharsets.UTF_8);
            return;
        }
        assertEquals(generated, page, "docs/commands.md differs from the help the code prints: write it again with "
                + "mvn -B test -Dtest=DocumentationTest -D" + UPDATE + "=true (and commit it)");
    }

    @Test
    void everyRelativeLinkAndAnchorResolves() {
        assertEquals(List.of(), MarkdownLinks.broken(ROOT, documents()), "links that lead nowhere");
    }

    @Test
    void theReadmeIsShortAndItsContentsListTheCommandsInTheOrderOfTheirSections() throws IOException {
        List<String> readme = Files.readAllLines(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        assertTrue(readme.size() <= 400, "README.md has " + readme.size() + " lines: put the detail in docs/");
        List<String> sections = new ArrayList<>();
        List<String> level2 = new ArrayList<>();
        boolean inCommands = false;
        for (String line : MarkdownLinks.withoutCodeBlocks(readme)) {
            if (line.startsWith("## ")) {
                level2.add(MarkdownLinks.slug(line.substring(3)));
                inCommands = line.equals("## Commands");
            } else if (inCommands && line.startsWith("### ")) {
                sections.add(line.substring(4).strip());
            }
        }
        assertEquals("contents", level2.get(0), "the Contents come first");
        int start = readme.indexOf("## Contents");
        int end = readme.subList(start + 1, readme.size()).stream().filter(l -> l.startsWith("## ")).findFirst()
                .map(l -> readme.indexOf(l)).orElseThrow();
        List<String> listed = new ArrayList<>();
        Matcher m = Pattern.compile("\\]\\(#([^)]+)\\)").matcher(String.join("\n", readme.subList(start, end)));
        while (m.find()) {
            if (sections.contains(m.group(1))) {
                listed.add(m.group(1));
            }
        }
        assertEquals(sections, listed, "the Contents list the commands in the order of their sections");
        List<String> all = new ArrayList<>(level2.subList(1, level2.size()));
        List<String> contents = new ArrayList<>();
        Matcher top = Pattern.compile("(?m)^- \\[[^\\]]+\\]\\(#([^)]+)\\)")
                .matcher(String.join("\n", readme.subList(start, end)));
        while (top.find()) {
            contents.add(top.group(1));
        }
        assertEquals(all, contents, "the Contents list every section, in order");
        // docs/commands.md takes the commands in the README's order
        List<String> blocks = new ArrayList<>();
        Matcher block = Pattern.compile("(?m)^<!-- help: ispdb ([a-z-]+) -->$")
                .matcher(Files.readString(COMMANDS, StandardCharsets.UTF_8));
        while (block.find()) {
            blocks.add(block.group(1));
        }
        assertEquals(sections, blocks, "docs/commands.md lists the commands in the README's order");
    }

    /** README.md, CHANGELOG.md and every page in docs/. */
    static List<Path> documents() {
        List<Path> documents = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("CHANGELOG.md")));
        documents.addAll(MarkdownLinks.pages(ROOT.resolve("docs")));
        return documents;
    }
}
