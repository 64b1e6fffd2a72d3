package ispdb.analysis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * R as the reference: runs an R script with {@code Rscript} in a folder of the test's, where the script reads
 * and writes CSV files. Where Rscript or the survival package is missing, the test is skipped with a visible
 * "SKIPPED: ..." message (.ci/run installs them: r-base-core, r-cran-survival).
 */
final class RReference {
    private static String unavailable;
    private static boolean checked;

    private RReference() {
    }

    /** Skips the calling test if Rscript with the survival package is not there. */
    static synchronized void requireSurvival() {
        if (!checked) {
            checked = true;
            try {
                Process p = new ProcessBuilder("Rscript", "-e", "suppressMessages(library(survival))")
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    unavailable = "Rscript did not answer within 60 s";
                } else if (p.exitValue() != 0) {
                    unavailable = "R's survival package is not installed (" + out.strip() + ")";
                }
            } catch (IOException e) {
                unavailable = "Rscript is not installed";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                unavailable = "interrupted";
            }
            if (unavailable != null) {
                System.err.println("SKIPPED: " + unavailable + "; the comparisons with R are skipped "
                        + "(apt-get install r-base-core r-cran-survival)");
            }
        }
        Assumptions.assumeTrue(unavailable == null, () -> "SKIPPED: " + unavailable);
    }

    /** Runs {@code script} with the folder as its argument; fails with R's output if R fails. */
    static void run(Path dir, String script) {
        try {
            Path file = dir.resolve("reference.R");
            Files.writeString(file, script);
            Process p = new ProcessBuilder("Rscript", "--vanilla", file.toString(), dir.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("Rscript failed:\n" + out);
            }
        } catch (IOException e) {
            throw new AssertionError("Rscript failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A CSV file R wrote (no quoted fields), without its header. */
    static List<String[]> rows(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            List<String[]> rows = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                rows.add(line.split(",", -1));
            }
            return rows;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
