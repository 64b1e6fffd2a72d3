package ispdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `ispdb generate-completion` prints a bash completion script that completes commands and options in a real bash. */
class CompletionTest {
    @TempDir
    Path tmp;

    @Test
    void bashCompletesCommandsAndOptions() throws Exception {
        Cli.Run r = new Cli().run("generate-completion");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().startsWith("#!/usr/bin/env bash"), r.out());
        Path script = Fixtures.write(tmp, "ispdb-completion", r.out());

        assertEquals("load-csv", complete(script, "ispdb lo"));
        assertEquals("--table", complete(script, "ispdb load-csv --ta"));
        assertEquals("--sort", complete(script, "ispdb list-customers --so"));
        assertEquals("generate-completion", complete(script, "ispdb gen"));
    }

    /**
     * What bash offers for {@code line} with the cursor at its end: the script's completion function, called as bash
     * calls it, with COMP_WORDS and COMP_CWORD set.
     */
    static String complete(Path script, String line) throws IOException, InterruptedException {
        return complete(script, line, "_complete_ispdb");
    }

    static String complete(Path script, String line, String function) throws IOException, InterruptedException {
        String program = "source \"$1\" >/dev/null 2>&1\n"
                + "read -r -a COMP_WORDS <<< \"$2\"\n"
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
