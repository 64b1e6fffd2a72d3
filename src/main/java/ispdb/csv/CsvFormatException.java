package ispdb.csv;

/** A file that cannot be read on as CSV from some line on (broken quoting, bad encoding, a giant field). */
public final class CsvFormatException extends Exception {
    private final String file;
    private final long line;

    public CsvFormatException(String file, long line, String problem, Throwable cause) {
        super(problem, cause);
        this.file = file;
        this.line = line;
    }

    public String file() {
        return file;
    }

    public long line() {
        return line;
    }

    /** {@code FILE:LINE: problem}. */
    public String describe() {
        return file + ":" + line + ": " + getMessage();
    }
}
