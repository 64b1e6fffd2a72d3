package ispdb.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
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

/**
 * The relative links and #anchors of Markdown documents, and those that lead nowhere: in the repository
 * (DocumentationTest), in the release archive (ArchiveIT) and in the Debian package (DebIT).
 */
public final class MarkdownLinks {
    private MarkdownLinks() {
    }

    /** A link of a document: its line, its target, and whether it is a reference definition ([name]: target). */
    record Link(int line, String target, boolean definition) {
    }

    /**
     * The links of {@code documents} (under {@code root}) that lead to no file, to a file outside {@code root}, or to
     * no heading of their page, each as "document:line: target (why)". URLs (https:, mailto:) are not followed, nor
     * reference definitions that leave {@code root} (CHANGELOG's [0.1.0]: ../../releases/tag/v0.1.0, the hosting's
     * page of a tag).
     */
    public static List<String> broken(Path root, List<Path> documents) {
        List<String> broken = new ArrayList<>();
        Map<Path, Set<String>> anchors = new HashMap<>();
        for (Path document : documents) {
            for (Link link : links(document)) {
                String target = link.target();
                if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                    continue;
                }
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path resolved = file.isEmpty() ? document : document.getParent().resolve(file).normalize();
                String where = root.relativize(document) + ":" + link.line() + ": " + target;
                if (!resolved.startsWith(root)) {
                    if (!link.definition()) {
                        broken.add(where + " (outside " + root.getFileName() + ")");
                    }
                    continue;
                }
                if (!Files.exists(resolved)) {
                    broken.add(where + " (no such file)");
                } else if (hash >= 0 && resolved.toString().endsWith(".md")
                        && !anchors.computeIfAbsent(resolved, MarkdownLinks::anchors).contains(target.substring(hash + 1))) {
                    broken.add(where + " (no such heading)");
                }
            }
        }
        return broken;
    }

    /** The pages of a folder, *.md, in the order of their names. */
    public static List<Path> pages(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.toString().endsWith(".md")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
            throw new UncheckedIOException(e);
        }
    }
}
