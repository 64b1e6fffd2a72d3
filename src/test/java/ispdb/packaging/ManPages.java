package ispdb.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ispdb.testing.Cli.Run;
import java.nio.file.Path;
import java.util.Map;

/** Renders a man page as a reader sees it, with man -l (or groff where man is missing), as plain text. */
final class ManPages {
    private ManPages() {
    }

    static String render(Path page) {
        Packaging.requireTool("groff", "rendering man pages: apt-get install groff-base");
        Map<String, String> env = Map.of("PATH", "/usr/bin:/bin", "MANWIDTH", "120", "LANG", "C.UTF-8");
        Run r = Packaging.which("man") != null
                ? Packaging.run(Path.of("/"), env, "man", "-l", page.toString())
                : Packaging.run(Path.of("/"), env, "/bin/sh", "-c",
                        (page.toString().endsWith(".gz") ? "gzip -dc" : "cat") + " \"$1\" | groff -man -Tutf8 -rLL=120n",
                        "sh", page.toString());
        assertEquals(0, r.exitCode(), r::toString);
        // no bold or underline: overstrikes (x BACKSPACE x) and SGR sequences removed
        return r.out().replaceAll(".\b", "").replaceAll("\u001b\\[[0-9;]*m", "");
    }
}
