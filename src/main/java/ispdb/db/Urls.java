package ispdb.db;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The one secret masker: JDBC URLs as they may be shown (each secret's value replaced by ***, read by
 * {@link JdbcUrl}), and text that may quote them (drivers' messages, stack traces, log lines).
 */
public final class Urls {
    /**
     * A secret in free text, where no parser can tell where a URL starts and ends: the value of KEY=VALUE (or
     * KEY: VALUE) whose key ends in password, up to the next separator of URL options ({@code & ; ,}), bracket,
     * quote or space (so that a closing {@code )} and the options after it stay); and the PASSWORD of
     * {@code //USER:PASSWORD@}. Replaced by {@link #SECRET_IN_TEXT_REPLACEMENT}. The log file's layout uses it too
     * (it has no braces, which a Log4j2 pattern cannot hold).
     */
    public static final String SECRET_IN_TEXT = "(?i)([a-z_.]*password[\"']?\\s*[=:]\\s*[\"']?)[^&;,\\s()\"'<>]*"
            + "|(//[^/@:?;\\s()]*:)[^/?;\\s@]*(?:@[^/?;\\s@]*)*(?=@)";
    /** What {@link #SECRET_IN_TEXT} is replaced by: the key (or //USER:) and ***. */
    public static final String SECRET_IN_TEXT_REPLACEMENT = "$1$2***";
    private static final Pattern SECRET = Pattern.compile(SECRET_IN_TEXT);

    private Urls() {
    }

    /**
     * A JDBC URL with its secrets masked ({@link JdbcUrl#masked()}); any other text with what looks like a secret
     * masked ({@link #SECRET_IN_TEXT}).
     */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        if (text.strip().regionMatches(true, 0, "jdbc:", 0, 5)) {
            return JdbcUrl.parse(text).masked();
        }
        return SECRET.matcher(text).replaceAll(SECRET_IN_TEXT_REPLACEMENT);
    }

    /** Replaces every occurrence of a password (and of the URL's embedded ones) in a driver's message. */
    public static String scrub(String message, String password) {
        return scrub(message, password, List.of());
    }

    /** {@link #scrub(String, String, List)} with one URL. */
    public static String scrub(String message, String password, String url) {
        return scrub(message, password, url == null ? List.of() : List.of(url));
    }

    /**
     * Replaces every occurrence of a password, and of those written into {@code urls}, in a driver's message or a
     * stack trace (drivers quote pieces of the URL they could not parse, where {@link #redact} cannot recognise
     * them), the longer first (so that no part of one shows), then masks what looks like a secret.
     */
    public static String scrub(String message, String password, List<String> urls) {
        if (message == null) {
            return "";
        }
        List<String> secrets = new ArrayList<>();
        for (String url : urls) {
            if (url != null) {
                secrets.addAll(JdbcUrl.parse(url).secrets());
            }
        }
        if (password != null) {
            secrets.add(password);
        }
        secrets.sort((a, b) -> b.length() - a.length());
        String m = message;
        for (String secret : secrets) {
            if (!secret.isEmpty()) {
                m = m.replace(secret, "***");
            }
        }
        return SECRET.matcher(m).replaceAll(SECRET_IN_TEXT_REPLACEMENT);
    }

    /** The passwords written into a URL. */
    static List<String> secrets(String url) {
        return url == null ? List.of() : JdbcUrl.parse(url).secrets();
    }
}
