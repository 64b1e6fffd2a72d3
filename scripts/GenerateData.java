import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.SplittableRandom;

/**
 * Deterministic sample-data generator for ispdb.
 *
 * <p>Writes four CSV files (dim_payment_method, dim_customer, fact_transaction, clv_prediction)
 * whose contents depend only on the command-line arguments. Transactions are streamed, so memory
 * is O(customers), not O(transactions).
 *
 * <p>Run with Java's source-file mode: {@code java scripts/GenerateData.java --help}.
 */
public final class GenerateData {

    private static final String USAGE = String.join("\n",
            "Usage: generate-data [--customers N] [--transactions M] [--payment-methods K]",
            "                     [--predictions P] [--nights K] [--seed S] [--out DIR]",
            "",
            "Writes dim_payment_method.csv, dim_customer.csv, fact_transaction.csv and",
            "clv_prediction.csv into DIR. The output is identical for identical arguments.",
            "",
            "  --customers N        number of customers (default 100000, at least 1)",
            "  --transactions M     number of transactions (default 1000000, at least N)",
            "  --payment-methods K  number of payment methods (default 5, at least 1)",
            "  --predictions P      number of CLV predictions (default N/3, at most 2*N)",
            "  --nights K           instead of --predictions: K nights of a nightly predict --record,",
            "                       one prediction per customer a night (K*N rows, with a predicted_at",
            "                       column: night i at 02:15 of 2024-01-01 plus i days), night by night",
            "  --seed S             random seed, a 64-bit integer (default 42)",
            "  --out DIR            output folder, created if needed (default: current folder)",
            "  --help               print this help and exit");

    private static final String[] METHOD_NAMES = {
        "Credit Card", "Debit Card", "Bank Transfer", "Cash", "Paypal",
        "Apple Pay", "Google Pay", "Gift Card", "Store Credit", "Mobile Wallet",
        "Wire Transfer", "Check", "Voucher", "Buy Now Pay Later", "Cryptocurrency"
    };

    private static final long MICROS_PER_SECOND = 1_000_000L;
    private static final long MICROS_PER_DAY = 86_400L * MICROS_PER_SECOND;
    /** 2022-01-01 00:00:00 as days since 1970-01-01. */
    private static final long START_DAY = 18_993L;
    /** 2024-01-01 00:00:00 as days since 1970-01-01 (exclusive end). */
    private static final long END_DAY = 19_723L;
    private static final long SPAN_START = START_DAY * MICROS_PER_DAY;
    private static final long SPAN_END = END_DAY * MICROS_PER_DAY; // exclusive

    private GenerateData() {}

    /** Thrown for invalid command-line arguments; the message is one sentence. */
    private static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    private static final class Options {
        long customers = 100_000;
        long transactions = 1_000_000;
        long paymentMethods = 5;
        long predictions = -1;
        long nights = 0;
        long seed = 42;
        String out = ".";
    }

    public static void main(String[] args) {
        Options o;
        try {
            o = parse(args);
        } catch (UsageException e) {
            System.err.println("generate-data: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (o == null) {
            System.out.println(USAGE);
            return;
        }
        try {
            run(o);
        } catch (IOException e) {
            System.err.println("generate-data: cannot write output: " + e.getMessage());
            System.exit(1);
        }
    }

    private static Options parse(String[] args) throws UsageException {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                return null;
            }
            String name;
            String value;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else {
                name = arg;
                value = null;
            }
            switch (name) {
                case "--customers", "--transactions", "--payment-methods", "--predictions",
                        "--nights", "--seed", "--out" -> { }
                default -> throw new UsageException("unknown argument '" + arg + "' (see --help).");
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException("option " + name + " needs a value.");
                }
                value = args[++i];
            }
            switch (name) {
                case "--customers" -> o.customers = parseLong(name, value, 1, 500_000_000);
                case "--transactions" -> o.transactions = parseLong(name, value, 1, Long.MAX_VALUE / 4);
                case "--payment-methods" -> o.paymentMethods = parseLong(name, value, 1, 1_000_000);
                case "--predictions" -> o.predictions = parseLong(name, value, 0, Long.MAX_VALUE / 4);
                case "--nights" -> o.nights = parseLong(name, value, 0, 36_500);
                case "--seed" -> o.seed = parseLong(name, value, Long.MIN_VALUE, Long.MAX_VALUE);
                case "--out" -> {
                    if (value.isEmpty()) {
                        throw new UsageException("option --out needs a non-empty folder name.");
                    }
                    o.out = value;
                }
                default -> throw new AssertionError(name);
            }
        }
        if (o.transactions < o.customers) {
            throw new UsageException("--transactions (" + o.transactions
                    + ") must be at least --customers (" + o.customers
                    + ") because every customer needs a transaction.");
        }
        if (o.predictions < 0) {
            o.predictions = o.customers / 3;
        }
        if (o.predictions > 2 * o.customers) {
            throw new UsageException("--predictions (" + o.predictions
                    + ") must be at most twice --customers (" + 2 * o.customers + ").");
        }
        return o;
    }

    private static long parseLong(String name, String value, long min, long max) throws UsageException {
        long v;
        try {
            v = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("option " + name + " needs an integer, got '" + value + "'.");
        }
        if (v < min || v > max) {
            throw new UsageException("option " + name + " must be between " + min + " and " + max
                    + ", got " + v + ".");
        }
        return v;
    }

    // ------------------------------------------------------------------------------------------

    private static void run(Options o) throws IOException {
        final int n = (int) o.customers;
        final long m = o.transactions;
        final int k = (int) o.paymentMethods;
        final int p = (int) o.predictions;

        Path out = Paths.get(o.out);
        Files.createDirectories(out);

        SplittableRandom root = new SplittableRandom(o.seed);
        SplittableRandom custRnd = root.split();
        SplittableRandom orderRnd = root.split();
        SplittableRandom txRnd = root.split();
        SplittableRandom predRnd = root.split();

        // ---- payment methods -----------------------------------------------------------------
        try (Csv w = new Csv(out.resolve("dim_payment_method.csv"))) {
            w.str("payment_method_id,payment_method_name").nl();
            for (int i = 0; i < k; i++) {
                w.num(i).comma().str(methodName(i)).nl();
            }
        }

        // ---- customers -------------------------------------------------------------------------
        // Single-transaction customers: forced when m < 2n, otherwise about 5 %.
        boolean[] single = new boolean[n];
        int[] perm = identity(n);
        long singles;
        if (m < 2L * n) {
            singles = 2L * n - m;
        } else {
            singles = 0;
            for (int i = 0; i < n; i++) {
                if (custRnd.nextInt(100) < 5) {
                    singles++;
                }
            }
            if (m > n && singles >= n) {
                singles = n - 1; // extra transactions need at least one multi-transaction customer
            }
        }
        partialShuffle(perm, (int) singles, custRnd);
        for (int i = 0; i < singles; i++) {
            single[perm[i]] = true;
        }

        long[] first = new long[n];
        long[] last = new long[n];
        boolean[] churned = new boolean[n];
        byte[] preferred = new byte[n]; // preferred payment method (mod 128 is fine for K <= 127)
        int[] preferredWide = k > 127 ? new int[n] : null;
        byte[] age = new byte[n];      // 0 = unknown
        byte[] gender = new byte[n];   // 0 = unknown, 1 = Female, 2 = Male
        final long span = SPAN_END - SPAN_START;
        final long twoDays = 2 * MICROS_PER_DAY;
        for (int c = 0; c < n; c++) {
            churned[c] = custRnd.nextInt(100) < 60;
            // first transaction: skewed towards the start of the period
            double u = custRnd.nextDouble();
            long f = SPAN_START + (long) (Math.pow(u, 1.4) * (span - twoDays));
            long l;
            if (single[c]) {
                l = f;
            } else if (churned[c]) {
                long room = SPAN_END - 1 - f; // > 2 days
                double d = custRnd.nextDouble();
                l = f + 1 + (long) (d * d * (room - 1));
            } else {
                long lo = Math.max(f + 1, SPAN_END - 75 * MICROS_PER_DAY);
                l = lo + custRnd.nextLong(SPAN_END - lo);
            }
            first[c] = f;
            last[c] = l;
            int pm = custRnd.nextInt(k);
            if (preferredWide != null) {
                preferredWide[c] = pm;
            } else {
                preferred[c] = (byte) pm;
            }
            if (custRnd.nextInt(100) == 0) {
                age[c] = 0;
            } else {
                // triangular-ish distribution over 18..85, peak in the thirties/forties
                int a = 18 + (custRnd.nextInt(68) + custRnd.nextInt(68)) / 2;
                if (custRnd.nextInt(4) == 0) {
                    a = 18 + custRnd.nextInt(68);
                }
                age[c] = (byte) a;
            }
            if (custRnd.nextInt(100) == 0) {
                gender[c] = 0;
            } else {
                gender[c] = (byte) (custRnd.nextInt(100) < 52 ? 1 : 2);
            }
        }

        try (Csv w = new Csv(out.resolve("dim_customer.csv"))) {
            w.str("customer_id,age,gender,first_transaction_date,last_transaction_date,"
                    + "survival_time,event_observed").nl();
            for (int c = 0; c < n; c++) {
                w.num(c).comma();
                if (age[c] != 0) {
                    w.num(age[c]);
                }
                w.comma();
                if (gender[c] == 1) {
                    w.str("Female");
                } else if (gender[c] == 2) {
                    w.str("Male");
                }
                w.comma().ts(first[c]).comma().ts(last[c]).comma()
                        .num((last[c] - first[c]) / MICROS_PER_DAY).comma()
                        .str(churned[c] ? "True" : "False").nl();
            }
        }
        age = null;
        gender = null;

        // ---- transactions ----------------------------------------------------------------------
        // "Anchor" transactions: first and last transaction of every customer (one for singles),
        // encoded as customer * 2 + (0 = first, 1 = last), in shuffled order.
        int anchors = (int) (2L * n - singles);
        int[] anchor = new int[anchors];
        int[] multi = new int[(int) (n - singles)];
        {
            int a = 0;
            int mi = 0;
            for (int c = 0; c < n; c++) {
                anchor[a++] = c * 2;
                if (!single[c]) {
                    anchor[a++] = c * 2 + 1;
                    multi[mi++] = c;
                }
            }
        }
        single = null;
        partialShuffle(anchor, anchors, orderRnd);
        // skew the activity of multi-transaction customers: shuffle, then draw index ~ u^1.5
        partialShuffle(multi, multi.length, orderRnd);

        double[] spent = new double[n];
        long remainingAnchors = anchors;
        long remainingExtras = m - anchors;
        int nextAnchor = 0;
        try (Csv w = new Csv(out.resolve("fact_transaction.csv"))) {
            w.str("transaction_id,customer_id,payment_method_id,transaction_date,amount").nl();
            for (long id = 1; id <= m; id++) {
                int c;
                long ts;
                if (remainingExtras == 0
                        || txRnd.nextLong(remainingAnchors + remainingExtras) < remainingAnchors) {
                    int e = anchor[nextAnchor++];
                    remainingAnchors--;
                    c = e >>> 1;
                    ts = (e & 1) == 0 ? first[c] : last[c];
                } else {
                    remainingExtras--;
                    double u = txRnd.nextDouble();
                    c = multi[(int) (Math.pow(u, 1.5) * multi.length)];
                    ts = first[c] + txRnd.nextLong(last[c] - first[c] + 1);
                }
                int pm;
                if (txRnd.nextInt(100) < 70) {
                    pm = preferredWide != null ? preferredWide[c] : preferred[c];
                } else {
                    pm = txRnd.nextInt(k);
                }
                // amount: 5.00 .. 500.00, skewed towards small purchases
                double a = txRnd.nextDouble();
                long cents = 500 + (long) (a * a * 49_501);
                if (cents > 50_000) {
                    cents = 50_000;
                }
                spent[c] += cents;
                w.num(id).comma().num(c).comma().num(pm).comma().ts(ts).comma().cents(cents).nl();
            }
        }
        anchor = null;
        multi = null;

        // ---- CLV predictions -------------------------------------------------------------------
        int dups = Math.max(p / 10, p - n);
        int distinct = p - dups;
        perm = identity(n);
        partialShuffle(perm, distinct, predRnd);
        int[] dupOf = identity(distinct);
        partialShuffle(dupOf, dups, predRnd);
        long predictions = p;
        try (Csv w = new Csv(out.resolve("clv_prediction.csv"))) {
            if (o.nights > 0) {
                // a nightly predict --record: every customer each night, in customer order, night after night
                w.str("customer_id,clv,predicted_customer_type,is_campaign1_success,"
                        + "is_campaign2_success,predicted_at").nl();
                long firstNight = END_DAY * MICROS_PER_DAY + (2 * 3600 + 15 * 60) * MICROS_PER_SECOND;
                for (long night = 0; night < o.nights; night++) {
                    long at = firstNight + night * MICROS_PER_DAY;
                    for (int c = 0; c < n; c++) {
                        writePrediction(w, c, spent[c], churned[c], last[c], predRnd, at);
                    }
                }
                predictions = o.nights * n;
            } else {
                w.str("customer_id,clv,predicted_customer_type,is_campaign1_success,"
                        + "is_campaign2_success").nl();
                for (int i = 0; i < p; i++) {
                    int c = i < distinct ? perm[i] : perm[dupOf[i - distinct]];
                    writePrediction(w, c, spent[c], churned[c], last[c], predRnd, -1);
                }
            }
        }

        System.err.println("generate-data: wrote dim_payment_method.csv (" + k + "), dim_customer.csv ("
                + n + "), fact_transaction.csv (" + m + "), clv_prediction.csv (" + predictions + ") to "
                + out);
    }

    /** One prediction line; {@code at} its predicted_at (microseconds since 1970), or negative for none. */
    private static void writePrediction(Csv w, int c, double spentCents, boolean churned, long last,
            SplittableRandom r, long at) throws IOException {
        double spent = spentCents / 100.0;
        boolean recent = last >= SPAN_END - 90 * MICROS_PER_DAY;
        double factor = churned ? 0.2 + 0.6 * r.nextDouble() : 1.1 + 1.4 * r.nextDouble();
        long clvCents = Math.max(1, Math.round(spent * factor * 100));
        double clv = clvCents / 100.0;
        String type;
        boolean high = clv >= 2500 * (0.7 + 0.6 * r.nextDouble());
        if (!churned || recent) {
            type = high ? "Star" : "Loyal";
        } else {
            type = high ? "Free Rider" : "Lost Cause";
        }
        if (r.nextInt(100) < 7) {
            // model disagreement: a random type now and then
            type = switch (r.nextInt(4)) {
                case 0 -> "Star";
                case 1 -> "Loyal";
                case 2 -> "Free Rider";
                default -> "Lost Cause";
            };
        }
        int base = switch (type) {
            case "Star" -> 55;
            case "Loyal" -> 35;
            case "Free Rider" -> 20;
            default -> 8;
        };
        w.num(c).comma().clv(clvCents).comma().str(type).comma();
        campaign(w, base, r);
        w.comma();
        campaign(w, base - 5, r);
        if (at >= 0) {
            w.comma().ts(at);
        }
        w.nl();
    }

    private static void campaign(Csv w, int percentTrue, SplittableRandom r) throws IOException {
        if (r.nextInt(100) < 8) {
            return; // unknown
        }
        w.str(r.nextInt(100) < percentTrue ? "True" : "False");
    }

    private static String methodName(int i) {
        return i < METHOD_NAMES.length ? METHOD_NAMES[i] : "Method " + i;
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    /** Fisher-Yates: afterwards a[0..count) is a uniform random selection in random order. */
    private static void partialShuffle(int[] a, int count, SplittableRandom r) {
        for (int i = 0; i < count; i++) {
            int j = i + r.nextInt(a.length - i);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    // ------------------------------------------------------------------------------------------

    /** Minimal buffered ASCII CSV writer (no String.format, no per-value allocation). */
    private static final class Csv implements AutoCloseable {
        private final OutputStream os;
        private final byte[] buf = new byte[1 << 20];
        private int pos;

        Csv(Path path) throws IOException {
            os = new FileOutputStream(path.toFile());
        }

        private void ensure(int n) throws IOException {
            if (pos + n > buf.length) {
                os.write(buf, 0, pos);
                pos = 0;
            }
        }

        Csv str(String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            if (b.length > buf.length) {
                ensure(buf.length);
                os.write(b);
                return this;
            }
            ensure(b.length);
            System.arraycopy(b, 0, buf, pos, b.length);
            pos += b.length;
            return this;
        }

        Csv comma() throws IOException {
            ensure(1);
            buf[pos++] = ',';
            return this;
        }

        Csv nl() throws IOException {
            ensure(1);
            buf[pos++] = '\n';
            return this;
        }

        Csv num(long v) throws IOException {
            ensure(20);
            if (v < 0) {
                buf[pos++] = '-';
                v = -v; // values written here are never Long.MIN_VALUE
            }
            if (v == 0) {
                buf[pos++] = '0';
                return this;
            }
            int start = pos;
            while (v > 0) {
                buf[pos++] = (byte) ('0' + (v % 10));
                v /= 10;
            }
            for (int i = start, j = pos - 1; i < j; i++, j--) {
                byte t = buf[i];
                buf[i] = buf[j];
                buf[j] = t;
            }
            return this;
        }

        private void pad(long v, int digits) {
            for (int i = digits - 1; i >= 0; i--) {
                buf[pos + i] = (byte) ('0' + (v % 10));
                v /= 10;
            }
            pos += digits;
        }

        /** Always two decimals, e.g. 12.50. */
        Csv cents(long cents) throws IOException {
            num(cents / 100);
            ensure(3);
            buf[pos++] = '.';
            pad(cents % 100, 2);
            return this;
        }

        /** Up to two decimals, trailing zeros dropped, e.g. 12.5 or 12. */
        Csv clv(long cents) throws IOException {
            num(cents / 100);
            long frac = cents % 100;
            if (frac != 0) {
                ensure(3);
                buf[pos++] = '.';
                if (frac % 10 == 0) {
                    buf[pos++] = (byte) ('0' + frac / 10);
                } else {
                    pad(frac, 2);
                }
            }
            return this;
        }

        /** Epoch microseconds (UTC, non-negative) as YYYY-MM-DD HH:MM:SS.ffffff. */
        Csv ts(long micros) throws IOException {
            ensure(26);
            long days = Math.floorDiv(micros, MICROS_PER_DAY);
            long rem = micros - days * MICROS_PER_DAY;
            // civil_from_days (H. Hinnant)
            long z = days + 719_468;
            long era = Math.floorDiv(z, 146_097);
            long doe = z - era * 146_097;
            long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
            long y = yoe + era * 400;
            long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
            long mp = (5 * doy + 2) / 153;
            long d = doy - (153 * mp + 2) / 5 + 1;
            long mo = mp < 10 ? mp + 3 : mp - 9;
            if (mo <= 2) {
                y++;
            }
            long secs = rem / MICROS_PER_SECOND;
            long frac = rem % MICROS_PER_SECOND;
            pad(y, 4);
            buf[pos++] = '-';
            pad(mo, 2);
            buf[pos++] = '-';
            pad(d, 2);
            buf[pos++] = ' ';
            pad(secs / 3600, 2);
            buf[pos++] = ':';
            pad(secs / 60 % 60, 2);
            buf[pos++] = ':';
            pad(secs % 60, 2);
            buf[pos++] = '.';
            pad(frac, 6);
            return this;
        }

        @Override
        public void close() throws IOException {
            try {
                os.write(buf, 0, pos);
                pos = 0;
            } finally {
                os.close();
            }
        }
    }
}
