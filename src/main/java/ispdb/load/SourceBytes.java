package ispdb.load;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/**
 * The bytes of one source as a load reads them: counted (for the progress bar and the journal), digested with
 * SHA-256 (the journal's fingerprint of the file, as {@code sha256sum} prints it), and decompressed when they are
 * gzip, which is recognised by its magic bytes whatever the file is called (stdin included).
 */
final class SourceBytes implements Closeable {
    private static final int GZIP_MAGIC_1 = 0x1f;
    private static final int GZIP_MAGIC_2 = 0x8b;

    private final CountingInputStream counted;
    private final MessageDigest digest;
    private final InputStream content;
    private final boolean gzip;

    private SourceBytes(CountingInputStream counted, MessageDigest digest, InputStream content, boolean gzip) {
        this.counted = counted;
        this.digest = digest;
        this.content = content;
        this.gzip = gzip;
    }

    static SourceBytes open(InputStream raw) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
        CountingInputStream counted = new CountingInputStream(new DigestInputStream(raw, digest));
        BufferedInputStream buffered = new BufferedInputStream(counted, 1 << 16);
        buffered.mark(2);
        int first = buffered.read();
        int second = buffered.read();
        buffered.reset();
        boolean gzip = first == GZIP_MAGIC_1 && second == GZIP_MAGIC_2;
        InputStream content = gzip ? new GZIPInputStream(buffered, 1 << 16) : buffered;
        return new SourceBytes(counted, digest, content, gzip);
    }

    /**
     * The CSV text's bytes (decompressed). Closing them does not close the source: the CSV parser closes its
     * input when it reaches the end, and {@link #finish()} still reads what follows.
     */
    InputStream content() {
        return new java.io.FilterInputStream(content) {
            @Override
            public void close() {
                // see above: closed with this SourceBytes
            }
        };
    }

    boolean gzip() {
        return gzip;
    }

    /** The bytes read from the source so far (compressed ones, for gzip). */
    long bytesRead() {
        return counted.count();
    }

    /**
     * Reads what is left of the source (the CSV reader stops at the end of the text; a gzip file may have
     * bytes after it) and returns the SHA-256 of all of it, in lower-case hex.
     */
    String finish() throws IOException {
        counted.transferTo(OutputStream.nullOutputStream());
        return HexFormat.of().formatHex(digest.digest());
    }

    @Override
    public void close() throws IOException {
        content.close();
    }
}
