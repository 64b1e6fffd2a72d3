package ispdb.cli;

import ispdb.IspdbException;
import ispdb.db.JdbcUrl;
import ispdb.db.Urls;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The connection and logging settings of one run, each with where it came from: a command-line option wins over an
 * environment variable, which wins over the settings file, which wins over the default.
 *
 * <p>The settings file is {@code --config FILE}, else {@code $ISPDB_CONFIG}, else
 * {@code $XDG_CONFIG_HOME/ispdb/ispdb.properties} (by default {@code ~/.config/ispdb/ispdb.properties}) if it
 * exists. It holds Java properties with the keys {@link #KEYS}; it never holds a password. Relative paths in it (a
 * relative SQLite file in url too) are relative to its own folder. It must be the caller's (or root's) and writable
 * by its owner only ({@link TrustedFile}).
 */
record Settings(Setting url, Setting user, Setting passwordFile, Setting busyTimeout, Setting logFile,
        Setting logFormat, Setting metricsFile, Path file, String fileSource) {
    static final String DEFAULT_URL = "jdbc:sqlite:ispdb.sqlite";
    static final int DEFAULT_BUSY_TIMEOUT = 30000;
    static final List<String> KEYS = List.of("url", "user", "password-file", "busy-timeout", "log-file",
            "log-format", "metrics-file");

    /** One setting: its value (null if unset), and where it came from, in the user's words. */
    record Setting(String name, String value, Source source, String where) {
        enum Source { OPTION, ENVIRONMENT, FILE, DEFAULT }

        boolean isSet() {
            return value != null;
        }

        /** The setting as the user gave it, for messages: {@code --url X}, {@code $ISPDB_URL=X}, {@code url=X in F}. */
        String described() {
            String shown = name.equals("url") && value != null ? Urls.redact(value) : value;
            return switch (source) {
                case OPTION -> where + " " + shown;
                case ENVIRONMENT -> where + "=" + shown;
                case FILE -> name + "=" + shown + " in " + where;
                case DEFAULT -> "the default " + name + " " + shown;
            };
        }

        /** Where it came from, for {@code schema-status -v}: {@code --url}, {@code $ISPDB_URL}, {@code url in F}. */
        String origin() {
            return switch (source) {
                case OPTION, ENVIRONMENT -> where;
                case FILE -> name + " in " + where;
                case DEFAULT -> "default";
            };
        }
    }

    /** Resolves every setting from the parsed options, the environment and the settings file. */
    static Settings resolve(CommonOptions options, Map<String, String> env) {
        Path file;
        String fileSource;
        if (options.config != null) {
            file = options.config;
            fileSource = "--config";
            requireFile(file, "--config " + file);
        } else if (nonBlank(env.get("ISPDB_CONFIG"))) {
            file = Path.of(env.get("ISPDB_CONFIG").strip());
            fileSource = "$ISPDB_CONFIG";
            requireFile(file, "$ISPDB_CONFIG=" + file);
        } else {
            file = defaultFile(env);
            fileSource = "default";
            if (file != null && !Files.isRegularFile(file)) {
                file = null;
            }
            if (file != null) {
                TrustedFile.require(file, "the settings file " + file, false);
            }
        }
        Map<String, String> keys = file != null ? read(file) : Map.of();
        Path folder = file != null ? file.toAbsolutePath().getParent() : null;

        Setting url = pick("url", options.url, "--url", env, "ISPDB_URL", keys, file, DEFAULT_URL);
        if (url.source() == Setting.Source.FILE) {
            // a relative SQLite file is relative to the settings file's folder, as its other paths are
            url = new Setting("url", JdbcUrl.parse(url.value()).resolvedAgainst(folder), url.source(), url.where());
        }
        Setting user = pick("user", options.user, "--user", env, "ISPDB_USER", keys, file, null);
        // a password in $ISPDB_PASSWORD outranks the settings file's password-file
        Setting passwordFile = options.passwordFile != null
                ? new Setting("password-file", options.passwordFile.toString(), Setting.Source.OPTION, "--password-file")
                : nonBlank(env.get("ISPDB_PASSWORD"))
                        ? new Setting("password-file", null, Setting.Source.ENVIRONMENT, "$ISPDB_PASSWORD")
                : fromFile("password-file", keys, file, folder);
        Setting busyTimeout = pick("busy-timeout", options.busyTimeout == null ? null : options.busyTimeout.toString(),
                "--busy-timeout", env, null, keys, file, Integer.toString(DEFAULT_BUSY_TIMEOUT));
        Setting logFile = options.logFile != null
                ? new Setting("log-file", options.logFile.toString(), Setting.Source.OPTION, "--log-file")
                : fromFile("log-file", keys, file, folder);
        Setting metricsFile = options.metricsFile != null
                ? new Setting("metrics-file", options.metricsFile.toString(), Setting.Source.OPTION, "--metrics-file")
                : fromFile("metrics-file", keys, file, folder);
        Setting logFormat = pick("log-format", options.logFormat == null ? null
                : options.logFormat.name().toLowerCase(java.util.Locale.ROOT), "--log-format", env, null, keys, file,
                "text");
        Settings settings = new Settings(url, user, passwordFile, busyTimeout, logFile, logFormat, metricsFile, file,
                fileSource);
        settings.logFormatValue(); // checked now too
        settings.busyTimeoutMillis(); // checked now, before anything is done
        return settings;
    }

    /** The busy timeout in milliseconds, checked. */
    int busyTimeoutMillis() {
        int millis;
        try {
            millis = Integer.parseInt(busyTimeout.value().strip());
        } catch (NumberFormatException e) {
            throw IspdbException.usage(busyTimeout.described() + ": not a whole number of milliseconds");
        }
        if (millis < 0) {
            throw IspdbException.usage(busyTimeout.described() + ": must be 0 or more milliseconds");
        }
        return millis;
    }

    /** The log file, if one is asked for. */
    Path logFilePath() {
        return logFile.isSet() ? Path.of(logFile.value()) : null;
    }

    /** The log's format, checked. */
    Logging.Format logFormatValue() {
        return switch (logFormat.value().strip().toLowerCase(java.util.Locale.ROOT)) {
            case "text" -> Logging.Format.TEXT;
            case "json" -> Logging.Format.JSON;
            default -> throw IspdbException.usage(logFormat.described() + ": not a log format (json or text)");
        };
    }

    /** The metrics file, if one is asked for. */
    Path metricsFilePath() {
        return metricsFile.isSet() ? Path.of(metricsFile.value()) : null;
    }

    /** The settings and their origins, one per line, for {@code schema-status -v}. */
    List<String> describeOrigins() {
        List<String> lines = new java.util.ArrayList<>();
        lines.add(String.format("%-15s %s", "settings file:", file == null ? "none"
                : file + " (" + (fileSource.equals("default") ? "the default place" : fileSource) + ")"));
        for (Setting s : List.of(url, user, passwordFile, busyTimeout, logFile, logFormat, metricsFile)) {
            if (s.value() == null && s.source() == Setting.Source.ENVIRONMENT) {
                lines.add(String.format("%-15s not used: the password is in %s", s.name() + ":", s.where()));
            } else if (s.value() == null) {
                lines.add(String.format("%-15s not set", s.name() + ":"));
            } else {
                lines.add(String.format("%-15s %s (%s)", s.name() + ":",
                        s.name().equals("url") ? Urls.redact(s.value()) : s.value(), s.origin()));
            }
        }
        return lines;
    }

    /** Where the settings file is when neither --config nor $ISPDB_CONFIG names one; null without a home. */
    static Path defaultFile(Map<String, String> env) {
        if (nonBlank(env.get("XDG_CONFIG_HOME"))) {
            return Path.of(env.get("XDG_CONFIG_HOME").strip(), "ispdb", "ispdb.properties");
        }
        return nonBlank(env.get("HOME")) ? Path.of(env.get("HOME").strip(), ".config", "ispdb", "ispdb.properties")
                : null;
    }

    private static Setting pick(String name, String option, String optionName, Map<String, String> env, String variable,
            Map<String, String> keys, Path file, String defaultValue) {
        if (option != null && !option.isBlank()) {
            return new Setting(name, option.strip(), Setting.Source.OPTION, optionName);
        }
        if (variable != null && nonBlank(env.get(variable))) {
            return new Setting(name, env.get(variable).strip(), Setting.Source.ENVIRONMENT, "$" + variable);
        }
        if (keys.containsKey(name)) {
            return new Setting(name, keys.get(name), Setting.Source.FILE, file.toString());
        }
        return new Setting(name, defaultValue, Setting.Source.DEFAULT, null);
    }

    /** A path from the settings file, relative to the file's folder. */
    private static Setting fromFile(String name, Map<String, String> keys, Path file, Path folder) {
        if (!keys.containsKey(name)) {
            return new Setting(name, null, Setting.Source.DEFAULT, null);
        }
        return new Setting(name, folder.resolve(keys.get(name)).toString(), Setting.Source.FILE, file.toString());
    }

    private static void requireFile(Path file, String described) {
        if (Files.isDirectory(file)) {
            throw IspdbException.usage(described + " is a folder: name the settings file in it (such as "
                    + file.resolve("ispdb.properties") + ")");
        }
        if (!Files.isRegularFile(file)) {
            throw IspdbException.usage(described + ": no such settings file");
        }
        TrustedFile.require(file, described, false);
    }

    private static Map<String, String> read(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw IspdbException.usage("cannot read the settings file " + file + ": "
                    + (e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.getMessage()));
        }
        Map<String, String> keys = new LinkedHashMap<>();
        for (String key : p.stringPropertyNames().stream().sorted().toList()) {
            String value = p.getProperty(key).strip();
            if (key.equalsIgnoreCase("password")) {
                throw IspdbException.usage("password in " + file + ": a settings file holds no password; put it alone "
                        + "in a file only you can read (chmod 600) and name that file with password-file");
            }
            if (!KEYS.contains(key)) {
                throw IspdbException.usage(key + " in " + file + ": not a setting ispdb knows (the keys are "
                        + String.join(", ", KEYS) + ")");
            }
            if (value.isEmpty()) {
                throw IspdbException.usage(key + " in " + file + ": no value");
            }
            keys.put(key, value);
        }
        return keys;
    }

    private static boolean nonBlank(String s) {
        return s != null && !s.isBlank();
    }
}
