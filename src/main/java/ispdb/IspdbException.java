package ispdb;

/**
 * A failure that ispdb explains to its user in one sentence, with the exit code that goes with it.
 * Anything else that reaches the command line is a bug (exit code {@link ExitCodes#INTERNAL}).
 */
public class IspdbException extends RuntimeException {
    private final int exitCode;

    public IspdbException(int exitCode, String message) {
        this(exitCode, message, null);
    }

    public IspdbException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** Bad data: nothing was written. */
    public static IspdbException rejected(String message) {
        return new IspdbException(ExitCodes.REJECTED, message);
    }

    /** A usage problem the parser could not see (a file that cannot be read, a bad combination). */
    public static IspdbException usage(String message) {
        return new IspdbException(ExitCodes.USAGE, message);
    }

    /** The database cannot be used: unreachable, refused, locked, read-only, full, or without our schema. */
    public static IspdbException database(String message, Throwable cause) {
        return new IspdbException(ExitCodes.DATABASE, message, cause);
    }
}
