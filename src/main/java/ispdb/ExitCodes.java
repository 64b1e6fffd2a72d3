package ispdb;

/** The exit codes of every ispdb command; documented in --help and the README. */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** Data rejected, nothing written; ingest: every file failed. */
    public static final int REJECTED = 1;
    /** check: the database has findings (the same code as {@link #REJECTED}: "something is wrong with the data"). */
    public static final int FINDINGS = 1;
    /** Usage error: an unknown option, a missing argument, a file that cannot be read. */
    public static final int USAGE = 2;
    /** Cannot connect, the schema is missing or newer than this ispdb, or the database refused to work. */
    public static final int DATABASE = 3;
    /** Loaded, but some rows were rejected (--on-error skip); ingest: some files failed, others loaded. */
    public static final int PARTIAL = 4;
    /** A bug in ispdb: please report it with the output of --verbose. */
    public static final int INTERNAL = 70;
    /** Set by the launcher (bin/ispdb, scripts/ispdb), never by the Java code: no Java 17+ (or, to build, Maven). */
    public static final int NO_JAVA = 127;
    /** Interrupted by SIGINT (Ctrl-C) before the work committed: nothing was written (128 + 2, as a shell says). */
    public static final int INTERRUPTED = 130;
    /** Standard output's reader went away ({@code | head}): 128 + SIGPIPE, as for cat. */
    public static final int PIPE_CLOSED = 141;
    /** Ended by SIGTERM before the work committed: nothing was written (128 + 15). */
    public static final int TERMINATED = 143;

    private ExitCodes() {
    }
}
