package ispdb.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version Maven wrote into ispdb/version.properties. */
final class Version implements IVersionProvider {
    static String version() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/ispdb/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // fall through to "unknown"
        }
        return p.getProperty("version", "unknown");
    }

    @Override
    public String[] getVersion() {
        return new String[] {"ispdb " + version()};
    }
}
