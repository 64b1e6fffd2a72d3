package ispdb.load;

import ispdb.model.ClvEstimate;
import ispdb.model.Column;
import ispdb.model.Table;
import ispdb.model.Values;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * predict --record's estimates as clv_prediction rows: customer_id, clv and predicted_customer_type; no
 * prediction_id (the database assigns it), no campaign flags, predicted_at the time of the load (the row rules'
 * default). Each value is checked as a CSV field would be ({@link Values#check}). A row is named by its line in the
 * estimates' CSV form, which {@code predict --format csv} prints too (the header is line 1). The journal records that
 * form's size and SHA-256 ({@code customer_id,clv,predicted_customer_type,is_campaign1_success,is_campaign2_success}
 * and a line per estimate), as it did when predict recorded through a CSV text; it is not refused if repeated: a
 * night without new transactions gives the same estimates as the night before, and they are recorded too.
 */
public final class PredictionRows implements RowSource {
    private static final Table TABLE = Table.PREDICTION;
    private static final String HEADER =
            "customer_id,clv,predicted_customer_type,is_campaign1_success,is_campaign2_success\n";
    private static final int CUSTOMER = column("customer_id");
    private static final int CLV = column("clv");
    private static final int TYPE = column("predicted_customer_type");

    private final Iterable<ClvEstimate> estimates;
    private final long count;
    private final String name;
    private java.util.Iterator<ClvEstimate> rows;
    private final String sha256;
    private final long size;
    private int read;

    /** @param name how messages and the journal name the predictions: the predict options that make them again */
    public PredictionRows(List<ClvEstimate> estimates, String name) {
        this(estimates, estimates.size(), name);
    }

    /**
     * Predictions read from {@code estimates} twice, for the journal's digest first, then row by row as the load
     * takes them: estimates made as they are read are never all held as rows.
     *
     * @param count how many estimates there are
     * @param name how messages and the journal name the predictions: the predict options that make them again
     */
    public PredictionRows(Iterable<ClvEstimate> estimates, long count, String name) {
        this.estimates = estimates;
        this.count = count;
        this.name = name;
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
        long bytes = digest(digest, HEADER);
        StringBuilder line = new StringBuilder(64);
        for (ClvEstimate e : estimates) {
            line.setLength(0);
            line.append(e.customerId()).append(',').append(e.clv()).append(',').append(e.customerType()).append(",,\n");
            bytes += digest(digest, line);
        }
        this.sha256 = HexFormat.of().formatHex(digest.digest());
        this.size = bytes;
    }

    private static int column(String name) {
        return TABLE.columns().stream().map(Column::name).toList().indexOf(name);
    }

    private static long digest(MessageDigest digest, CharSequence text) {
        byte[] b = text.toString().getBytes(StandardCharsets.UTF_8);
        digest.update(b);
        return b.length;
    }

    @Override
    public Table table() {
        return TABLE;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void open() {
        rows = estimates.iterator();
    }

    @Override
    public boolean givesKeys() {
        return false;
    }

    /** As large as a CSV file that takes the bulk path. */
    @Override
    public boolean large() {
        return size >= CsvRows.BULK_BYTES;
    }

    @Override
    public Row next() {
        if (rows == null) {
            open();
        }
        if (!rows.hasNext()) {
            return null;
        }
        ClvEstimate e = rows.next();
        read++;
        Object[] values = new Object[TABLE.columns().size()];
        values[CUSTOMER] = e.customerId();
        values[CLV] = e.clv();
        values[TYPE] = e.customerType();
        long line = read + 1L;
        for (int i = 0; i < values.length; i++) {
            try {
                Values.check(TABLE.columns().get(i), values[i]);
            } catch (IllegalArgumentException problem) {
                return new Row(line, values, TABLE.columns().get(i).name(), problem.getMessage(), values);
            }
        }
        return new Row(line, values, null, null, values);
    }

    /** Rows read. */
    @Override
    public long done() {
        return read;
    }

    @Override
    public long total() {
        return count;
    }

    @Override
    public String finish() {
        return sha256;
    }

    @Override
    public long journalSize() {
        return size;
    }

    @Override
    public boolean refusedIfRepeated() {
        return false;
    }

    @Override
    public void close() {
        // nothing to close
    }
}
