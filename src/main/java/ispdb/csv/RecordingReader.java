package ispdb.csv;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.util.Arrays;

/**
 * Decodes a byte stream for the CSV parser. Unlike {@link java.io.InputStreamReader} it hands over every
 * character decoded before a malformed byte (so the error can name its line and column), drops a leading
 * byte-order mark, and keeps the text that the caller still needs (the verbatim text of a row for a reject
 * file) until the caller says it is done with it.
 */
final class RecordingReader extends Reader {
    private final InputStream in;
    private final CharsetDecoder decoder;
    private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16);
    private final CharBuffer chars = CharBuffer.allocate(1 << 16);
    private boolean eof;
    private boolean first = true;
    private MalformedTextException pendingError;

    /** Characters handed out so far, whose first {@code kept} stand in {@code record} from {@code recordStart} on. */
    private long delivered;
    private char[] record = new char[1 << 16];
    private int kept;
    private long recordStart;

    /** Line and column of the next character to hand out, for decoding errors. */
    private final Position position = new Position();

    /** A 1-based line and column in the text; CR, LF and CRLF each end a line. */
    private static final class Position {
        long line = 1;
        long column = 1;
        boolean afterCr;

        Position copy() {
            Position p = new Position();
            p.line = line;
            p.column = column;
            p.afterCr = afterCr;
            return p;
        }

        void advance(char ch) {
            if (ch == '\n') {
                if (!afterCr) {
                    line++;
                }
                column = 1;
                afterCr = false;
            } else if (ch == '\r') {
                line++;
                column = 1;
                afterCr = true;
            } else {
                column++;
                afterCr = false;
            }
        }
    }

    RecordingReader(InputStream in, Charset charset) {
        this.in = in;
        this.decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        bytes.flip();
        chars.flip();
    }

    @Override
    public int read(char[] buf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (!chars.hasRemaining()) {
            if (pendingError != null) {
                throw pendingError;
            }
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(len, chars.remaining());
        chars.get(buf, off, n);
        remember(buf, off, n);
        return n;
    }

    private boolean fill() throws IOException {
        chars.clear();
        try {
            while (chars.position() == 0) {
                if (!eof && bytes.remaining() < 16) {
                    bytes.compact();
                    int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
                    if (n < 0) {
                        eof = true;
                    } else {
                        bytes.position(bytes.position() + n);
                    }
                    bytes.flip();
                }
                CoderResult result = decoder.decode(bytes, chars, eof);
                if (result.isError()) {
                    pendingError = malformed(result);
                    break;
                }
                if (eof) {
                    decoder.flush(chars);
                    break;
                }
            }
        } finally {
            chars.flip();
        }
        if (first && chars.hasRemaining()) {
            first = false;
            if (chars.get(chars.position()) == '\uFEFF') {
                chars.get();
            }
        }
        return chars.hasRemaining() || pendingError != null;
    }

    private MalformedTextException malformed(CoderResult result) {
        // the error sits right after the characters decoded in this fill, which are not yet counted
        Position at = position.copy();
        for (int i = 0; i < chars.position(); i++) {
            at.advance(chars.get(i));
        }
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < result.length() && bytes.position() + i < bytes.limit(); i++) {
            hex.append(String.format(" 0x%02X", bytes.get(bytes.position() + i) & 0xFF));
        }
        return new MalformedTextException(at.line, at.column, decoder.charset().name(), hex.toString().trim());
    }

    private void remember(char[] buf, int off, int n) {
        for (int i = off; i < off + n; i++) {
            position.advance(buf[i]);
        }
        if (kept + n > record.length) {
            record = Arrays.copyOf(record, Math.max(record.length * 2, kept + n));
        }
        System.arraycopy(buf, off, record, kept, n);
        kept += n;
        delivered += n;
    }

    /** Characters handed out so far. */
    long delivered() {
        return delivered;
    }

    /** The text between two offsets of the characters handed out; {@code from} must not be forgotten yet. */
    String text(long from, long to) {
        return new String(record, (int) (from - recordStart), (int) (to - from));
    }

    /** Forgets the text before {@code offset}. */
    void forgetBefore(long offset) {
        int drop = (int) (offset - recordStart);
        if (drop <= 0) {
            return;
        }
        System.arraycopy(record, drop, record, 0, kept - drop);
        kept -= drop;
        recordStart = offset;
        if (record.length > (1 << 20) && kept < record.length / 4) {
            record = Arrays.copyOf(record, Math.max(1 << 16, kept * 2));
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Bytes that are not text in the expected encoding. */
    static final class MalformedTextException extends IOException {
        final long line;
        final long column;
        final String charset;
        final String bytes;

        MalformedTextException(long line, long column, String charset, String bytes) {
            super("bytes that are not valid " + charset);
            this.line = line;
            this.column = column;
            this.charset = charset;
            this.bytes = bytes;
        }
    }
}
