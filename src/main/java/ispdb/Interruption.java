package ispdb;

import java.util.function.Consumer;

/**
 * The one handler of SIGINT (Ctrl-C) and SIGTERM, for every command: {@code ispdb.cli.Main} installs it first
 * thing, and the places that commit a command's work tell it when they do.
 *
 * <p>Before the work commits, a signal ends the run at once with one sentence, on standard error and in the log
 * ({@code ispdb: interrupted: nothing was written}, or what an earlier part committed), and the shell's exit code
 * for the signal, 130 (SIGINT) or 143 (SIGTERM). The JVM's shutdown hooks still run (a temporary output file is
 * removed); the database rolls back the transaction the run leaves open. While the work commits, and after, a
 * signal is held: the command finishes its output and exits as it would have (0), for what it reports has been
 * done. A commit that fails acts on a signal held meanwhile at once.
 *
 * <p>{@code sun.misc.Signal} rather than a shutdown hook: a hook cannot hold a signal, nor choose the exit code.
 * Without {@link #install} (the tests run commands in their own JVM) nothing here does anything but commit.
 */
public final class Interruption {
    private static final Object LOCK = new Object();

    /** What a commit runs. */
    @FunctionalInterface
    public interface Commit<E extends Exception> {
        void run() throws E;
    }

    /** Prints the sentence (standard error and log); null until {@link #install}. */
    private static Consumer<String> report;
    /** What a signal now would say has been written. */
    private static String written = "nothing was written";
    /** Whether a commit is under way or the command's work has committed: signals are held. */
    private static boolean holding;
    /** Whether the command's work has committed (held for the rest of the run). */
    private static boolean done;
    /** The signal held while a commit was under way, or null. */
    private static String held;
    /** Whether a signal is ending the run: no commit may start. */
    private static boolean exiting;

    /** Run with the exit code when a signal ends the run (a command's metrics); null for none. */
    private static java.util.function.IntConsumer atExit;

    private Interruption() {
    }

    /** What to do with the exit code when a signal ends the run, after its sentence: the command's metrics. */
    public static void atExit(java.util.function.IntConsumer action) {
        synchronized (LOCK) {
            atExit = action;
        }
    }

    /** Handles SIGINT and SIGTERM from now on; {@code report} prints a sentence where the user and the log see it. */
    public static void install(Consumer<String> report) {
        synchronized (LOCK) {
            Interruption.report = report;
        }
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> received(signal.getName()));
            } catch (IllegalArgumentException e) {
                // the JVM uses the signal itself (-Xrs, say): its default stays
            }
        }
    }

    /** The shell's exit code for a death by this signal. */
    public static int exitCode(String signal) {
        return "TERM".equals(signal) ? ExitCodes.TERMINATED : ExitCodes.INTERRUPTED;
    }

    /** On the signal's own thread. */
    private static void received(String signal) {
        String sentence;
        synchronized (LOCK) {
            if (exiting) {
                return;
            }
            if (holding) {
                if (held == null) {
                    held = signal;
                }
                return;
            }
            exiting = true;
            sentence = written;
        }
        end(signal, sentence);
    }

    private static void end(String signal, String sentence) {
        Consumer<String> r;
        java.util.function.IntConsumer last;
        synchronized (LOCK) {
            r = report;
            last = atExit;
        }
        try {
            if (r != null) {
                r.accept("interrupted: " + sentence);
            }
            if (last != null) {
                last.accept(exitCode(signal));
            }
        } finally {
            System.exit(exitCode(signal));
        }
    }

    /**
     * Commits the command's work: a signal from now on is held until the command ends (it then exits as it would
     * have); if the commit fails, a signal held meanwhile ends the run at once.
     */
    public static <E extends Exception> void commit(Commit<E> commit) throws E {
        commit(null, commit);
    }

    /**
     * Commits a part of the command's work, after which a signal says {@code written} (such as "the schema was
     * created; no row was copied"); a signal during the commit waits for it.
     */
    public static <E extends Exception> void commitPart(String written, Commit<E> commit) throws E {
        commit(written, commit);
    }

    private static <E extends Exception> void commit(String part, Commit<E> commit) throws E {
        synchronized (LOCK) {
            while (exiting) {
                try {
                    LOCK.wait(); // the JVM is exiting on a signal: this commit never starts
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            holding = true;
        }
        boolean committed = false;
        try {
            commit.run();
            committed = true;
        } finally {
            String signal;
            String sentence;
            synchronized (LOCK) {
                if (committed && part == null) {
                    done = true; // held for the rest of the run
                    signal = null;
                } else {
                    if (committed) {
                        Interruption.written = part;
                    }
                    holding = done;
                    signal = holding ? null : held;
                    held = null;
                    exiting = signal != null;
                }
                sentence = Interruption.written;
            }
            if (signal != null) {
                end(signal, sentence);
            }
        }
    }
}
