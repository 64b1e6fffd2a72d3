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
 * The bytes of one source as a load reads them: decompressed when they are gzip, which is recognised by its magic
 * bytes whatever the file is called (stdin included); counted (the file's bytes, for the progress bar; the CSV
 * text's, for the journal); and the CSV text digested with SHA-256, the journal's fingerprint of the content, so
 * a file, its gzip and the same text through standard input have one digest ({@code zcat -f FILE | sha256sum}).
 */
final class SourceBytes implements Closeable {
    private static final int GZIP_MAGIC_1 = 0x1f;
    private static final int GZIP_MAGIC_2 = 0x8b;

    private final CountingInputStream counted;
    private final CountingInputStream text;
    private final MessageDigest textDigest;
    private final MessageDigest fileDigest;

    private SourceBytes(CountingInputStream counted, CountingInputStream text, MessageDigest textDigest,
            MessageDigest fileDigest) {
        this.counted = counted;
        this.text = text;
        this.textDigest = textDigest;
        this.fileDigest = fileDigest;
    }

    static SourceBytes open(InputStream raw) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
        buffered.mark(2);
        int first = buffered.read();
        int second = buffered.read();
        buffered.reset();
        boolean gzip = first == GZIP_MAGIC_1 && second == GZIP_MAGIC_2;
        // the compressed bytes' own digest only for gzip (see fileSha256): a plain file's is its text's
        MessageDigest fileDigest = gzip ? sha256() : null;
        CountingInputStream counted = new CountingInputStream(gzip ? new DigestInputStream(buffered, fileDigest)
                : buffered);
        MessageDigest textDigest = sha256();
        InputStream decompressed = gzip ? new GZIPInputStream(counted, 1 << 16) : counted;
        CountingInputStream text = new CountingInputStream(new DigestInputStream(decompressed, textDigest));
        return new SourceBytes(counted, text, textDigest, fileDigest);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /**
     * The CSV text's bytes (decompressed). Closing them does not close the source: the CSV parser closes its
     * input when it reaches the end, and {@link #finish()} still reads what follows.
     */
    InputStream content() {
        return new java.io.FilterInputStream(text) {
            @Override
            public void close() {
                // see above: closed with this SourceBytes
            }
        };
    }

    boolean gzip() {
        return fileDigest != null;
    }

    /** The bytes read from the source so far (compressed ones, for gzip). */
    long bytesRead() {
        return counted.count();
    }

    /** The bytes of CSV text read so far (decompressed ones, for gzip). */
    long textBytesRead() {
        return text.count();
    }

    /**
     * Reads what is left of the source (the CSV reader stops at the end of the text; a gzip file may have
     * bytes after it) and returns the SHA-256 of the CSV text (the decompressed bytes), in lower-case hex.
     */
    String finish() throws IOException {
        text.transferTo(OutputStream.nullOutputStream());
        counted.transferTo(OutputStream.nullOutputStream());
        return HexFormat.of().formatHex(textDigest.digest());
    }

    /**
     * After {@link #finish()}: for gzip, the SHA-256 of the compressed bytes (what the journal recorded for a gzip
     * file before it recorded the text's digest), else null.
     */
    String fileSha256() {
        return fileDigest == null ? null : HexFormat.of().formatHex(fileDigest.digest());
    }

    @Override
    public void close() throws IOException {
        text.close();
    }
}
