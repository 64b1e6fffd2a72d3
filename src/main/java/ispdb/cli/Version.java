package ispdb.cli;

import ispdb.Release;
import picocli.CommandLine.IVersionProvider;

/** --version. */
final class Version implements IVersionProvider {
    static String version() {
        return Release.version();
    }

    @Override
    public String[] getVersion() {
        return new String[] {"ispdb " + version()};
    }
}
