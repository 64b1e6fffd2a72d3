package ispdb;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** This ispdb's version, as Maven wrote it into ispdb/version.properties. */
public final class Release {
    private static volatile String version;

    private Release() {
    }

    public static String version() {
        String v = version;
        if (v == null) {
            Properties p = new Properties();
            try (InputStream in = Release.class.getResourceAsStream("/ispdb/version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                // fall through to "unknown"
            }
            v = p.getProperty("version", "unknown");
            version = v;
        }
        return v;
    }
}
