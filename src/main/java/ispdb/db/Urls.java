package ispdb.db;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** JDBC URLs as they may be shown: with any password in them replaced by ***. */
public final class Urls {
    private static final Pattern PASSWORD_PARAMETER =
            Pattern.compile("([?&;:]\\s*[A-Za-z_]*password\\s*=)[^&;]*", Pattern.CASE_INSENSITIVE);
    /**
     * USER:PASSWORD@ before the host. The password runs to the last {@code @} before the path: users write an
     * unencoded {@code @} into it ({@code //ispdb:p@ss@db1/isp}), which the drivers take as is.
     */
    private static final Pattern USER_INFO = Pattern.compile("(//[^/@:?;]*:)[^/?;]*@");

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
        return scrub(message, password, null);
    }

    /**
     * Replaces every occurrence of a password, and of those written into {@code url} (a password parameter, or
     * USER:PASSWORD@ before the host), in a driver's message or a stack trace: drivers quote pieces of the URL they
     * could not parse ("Incorrect port value : PASSWORD@127.0.0.1"), where {@link #redact} cannot recognise them.
     */
    public static String scrub(String message, String password, String url) {
        if (message == null) {
            return "";
        }
        String m = message;
        List<String> secrets = new ArrayList<>(secrets(url));
        if (password != null) {
            secrets.add(password);
        }
        secrets.sort(Comparator.comparingInt(String::length).reversed());
        for (String secret : secrets) {
            if (!secret.isEmpty()) {
                m = m.replace(secret, "***");
            }
        }
        return redact(m);
    }

    /** The passwords written into a URL. */
    static List<String> secrets(String url) {
        List<String> found = new ArrayList<>();
        if (url == null) {
            return found;
        }
        Matcher parameter = PASSWORD_PARAMETER.matcher(url);
        while (parameter.find()) {
            found.add(url.substring(parameter.end(1), parameter.end()).strip());
        }
        Matcher userInfo = USER_INFO.matcher(url);
        while (userInfo.find()) {
            found.add(url.substring(userInfo.end(1), userInfo.end() - 1));
        }
        return found;
    }
}
