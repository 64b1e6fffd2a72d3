package ispdb.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ispdb.testing.Cli;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the cluster test classes share: their tag, their tests in order (each works on what the earlier ones left),
 * a folder for the class, and the command line. The cluster itself is the subclass's {@link LocalCluster}, a static
 * {@code @RegisterExtension} field: started once for the class, with the sample data, and stopped after it.
 */
@Tag("clusters")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ClusterTest {
    static final Cli CLI = new Cli();

    @TempDir
    static Path tmp;

    /** The reads whose output must be the same whichever server answers. */
    static final List<String[]> READS = List.of(new String[] {"list-customers", "--limit", "400", "--format", "csv"},
            new String[] {"rfm-summary", "--as-of", "2024-01-01", "--format", "csv"},
            new String[] {"survival", "--by", "gender", "--format", "csv"},
            new String[] {"schema-status"}, new String[] {"history"});

    /**
     * Runs {@code ispdb COMMAND --url URL}; it must succeed. Its output, with the URL in it (schema-status names the
     * database it read) as "URL".
     */
    static String read(String[] command, String url) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(List.of("--url", url));
        return run(args.toArray(String[]::new)).out().replace(url, "URL");
    }

    /** Runs {@code ispdb ARGS}; it must succeed. */
    static Cli.Run run(String... args) {
        Cli.Run r = CLI.run(args);
        assertEquals(0, r.exitCode(), r::toString);
        return r;
    }
}
