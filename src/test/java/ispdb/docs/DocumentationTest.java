package ispdb.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.cli.Documentation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
    void everyRelativeLinkAndAnchorResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        Map<Path, Set<String>> anchors = new HashMap<>();
        for (Path document : documents()) {
            for (Link link : links(document)) {
                String target = link.target();
                if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                    continue; // https:, mailto: and the like: not this repository's
                }
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path resolved = file.isEmpty() ? document : document.getParent().resolve(file).normalize();
                String where = ROOT.relativize(document) + ":" + link.line() + ": " + target;
                if (link.definition() && !resolved.startsWith(ROOT)) {
                    continue; // CHANGELOG's [0.1.0]: ../../releases/tag/v0.1.0, the hosting's page of a tag
                }
                if (!Files.exists(resolved)) {
                    broken.add(where + " (no such file)");
                } else if (hash >= 0 && resolved.toString().endsWith(".md")) {
                    Set<String> known = anchors.computeIfAbsent(resolved, DocumentationTest::anchors);
                    if (!known.contains(target.substring(hash + 1))) {
                        broken.add(where + " (no such heading)");
                    }
                }
            }
        }
        assertEquals(List.of(), broken, "links that lead nowhere");
    }

    @Test
    void theReadmeIsShortAndItsContentsListTheCommandsInTheOrderOfTheirSections() throws IOException {
        List<String> readme = Files.readAllLines(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        assertTrue(readme.size() <= 400, "README.md has " + readme.size() + " lines: put the detail in docs/");
        List<String> sections = new ArrayList<>();
        List<String> level2 = new ArrayList<>();
        boolean inCommands = false;
        for (String line : withoutCodeBlocks(readme)) {
            if (line.startsWith("## ")) {
                level2.add(slug(line.substring(3)));
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
    static List<Path> documents() throws IOException {
        List<Path> documents = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("CHANGELOG.md")));
        try (Stream<Path> pages = Files.list(ROOT.resolve("docs"))) {
            pages.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        return documents;
    }

    record Link(int line, String target, boolean definition) {
    }

    /** Inline links and images, [text](target), and reference definitions, [name]: target; not in code. */
    static List<Link> links(Path document) {
        List<Link> links = new ArrayList<>();
        Pattern inline = Pattern.compile("\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
        Pattern reference = Pattern.compile("^\\s{0,3}\\[[^\\]]+\\]:\\s*(\\S+)");
        List<String> lines = read(document);
        boolean fence = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.strip().startsWith("```") || line.strip().startsWith("~~~")) {
                fence = !fence;
                continue;
            }
            if (fence) {
                continue;
            }
            String text = line.replaceAll("`[^`]*`", "");
            Matcher m = inline.matcher(text);
            while (m.find()) {
                links.add(new Link(i + 1, m.group(1), false));
            }
            Matcher r = reference.matcher(text);
            if (r.find()) {
                links.add(new Link(i + 1, r.group(1), true));
            }
        }
        return links;
    }

    /** The anchors GitHub gives a page's headings (a repeated heading gets -1, -2, ...). */
    static Set<String> anchors(Path page) {
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (String line : withoutCodeBlocks(read(page))) {
            Matcher heading = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$").matcher(line);
            if (heading.matches()) {
                String slug = slug(heading.group(1));
                int n = seen.merge(slug, 1, Integer::sum);
                seen.putIfAbsent(n == 1 ? slug : slug + "-" + (n - 1), 1);
            }
        }
        return seen.keySet();
    }

    /**
     * A heading's anchor as GitHub makes it: lower case, markup and punctuation dropped (letters, digits, spaces,
     * hyphens and underscores kept), each space a hyphen.
     */
    static String slug(String heading) {
        String text = heading.replace("`", "").strip().toLowerCase(Locale.ROOT);
        text = text.replaceAll("[^\\p{L}\\p{N}\\p{M}_\\- ]", "");
        return text.replace(' ', '-');
    }

    static List<String> withoutCodeBlocks(List<String> lines) {
        List<String> out = new ArrayList<>();
        boolean fence = false;
        for (String line : lines) {
            if (line.strip().startsWith("```") || line.strip().startsWith("~~~")) {
                fence = !fence;
            } else if (!fence) {
                out.add(line);
            }
        }
        return out;
    }

    static List<String> read(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
