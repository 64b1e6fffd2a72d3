package ispdb.db;

import java.util.regex.Pattern;

/** JDBC URLs as they may be shown: with any password in them replaced by ***. */
public final class Urls {
    private static final Pattern PASSWORD_PARAMETER =
            Pattern.compile("([?&;:]\\s*[A-Za-z_]*password\\s*=)[^&;]*", Pattern.CASE_INSENSITIVE);
    private static final Pattern USER_INFO = Pattern.compile("(//[^/@:?;]*:)[^/@?;]*@");

    private Urls() {
    }

    public static String redact(String url) {
        if (url == null) {
            return null;
        }
        String u = PASSWORD_PARAMETER.matcher(url).replaceAll("$1***");
        return USER_INFO.matcher(u).replaceAll("$1***@");
    }

    /** Replaces every occurrence of a password (and of the URL's embedded ones) in a driver's message. */
    public static String scrub(String message, String password) {
        if (message == null) {
            return "";
        }
        String m = message;
        if (password != null && !password.isEmpty()) {
            m = m.replace(password, "***");
        }
        return redact(m);
    }
}
