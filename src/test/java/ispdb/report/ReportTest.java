package ispdb.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.analysis.AnalysisTestBase;
import ispdb.testing.Cli;
import ispdb.testing.Fixtures;
import ispdb.testing.TestDatabase;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * report: the page's numbers and charts on every database; on SQLite, the page rendered in a real headless
 * Chromium (skipped visibly where it is not installed): no console errors, every chart drawn.
 */
@ParameterizedClass(name = "{0}")
@org.junit.jupiter.params.provider.MethodSource("ispdb.testing.TestDatabase#kinds")
class ReportTest extends AnalysisTestBase {
    static final List<String> CHARTS = List.of("survival-gender", "survival-customer-type", "clv-distribution",
            "revenue-by-month", "campaign-success");
    static final Pattern CHART = Pattern.compile("<svg class=\"chart\" data-chart=\"([a-z-]+)\" data-points=\"(\\d+)\""
            + "[^>]*?(?: data-drawn=\"(\\d+)\" data-box=\"(\\d+),(\\d+),(\\d+),(\\d+)\")?>");
    static final String[] TYPES = {"Star", "Loyal", "Lost Cause"};

    /**
     * 30 customers (genders Female, Male and one written with markup), survival times 10-300, every third
     * churned; 90 transactions over 2023-01 to 2023-06 paid four ways, 1 to 90 each; predictions for all but
     * every fifth customer, campaign outcomes known for most.
     */
    private void setUp() {
        initSchema();
        load("payment-methods", Fixtures.PAYMENT_METHODS);
        StringBuilder customers = new StringBuilder("customer_id,age,gender,first_transaction_date,"
                + "last_transaction_date,survival_time,event_observed\n");
        StringBuilder predictions = new StringBuilder("customer_id,clv,predicted_customer_type,is_campaign1_success,"
                + "is_campaign2_success\n");
        for (int c = 1; c <= 30; c++) {
            String gender = c == 30 ? "<b>x</b>" : c % 2 == 0 ? "Female" : "Male";
            customers.append(c).append(",40,").append(gender).append(",,,").append(10 * c).append(',')
                    .append(c % 3 == 0 ? "True" : "False").append('\n');
            if (c % 5 != 0) {
                predictions.append(c).append(',').append(100 * c).append(',').append(TYPES[c % 3]).append(',')
                        .append(c % 7 == 0 ? "" : c % 2 == 0 ? "True" : "False").append(',')
                        .append(c % 4 == 0 ? "True" : "False").append('\n');
            }
        }
        load("customers", customers.toString());
        load("predictions", predictions.toString());
        StringBuilder tx = new StringBuilder("transaction_id,customer_id,payment_method_id,transaction_date,amount\n");
        for (int i = 1; i <= 90; i++) {
            tx.append(i).append(',').append(1 + i % 30).append(',').append(i % 4).append(",2023-0")
                    .append(1 + (i - 1) / 15).append('-').append(String.format("%02d", 1 + i % 28))
                    .append(" 12:00:00,").append(i).append('\n');
        }
        load("transactions", tx.toString());
    }

    private String report(Path file, String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of("--output", file.toString()));
        args.addAll(List.of(options));
        Cli.Run r = ok("report", args.toArray(String[]::new));
        assertEquals("wrote " + file + " (30 customers, 5 charts)\n", r.out());
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    /** The charts of a page (or of Chromium's DOM), by id: data-points, and drawn and box if the browser set them. */
    static Map<String, long[]> charts(String html) {
        Map<String, long[]> charts = new LinkedHashMap<>();
        Matcher m = CHART.matcher(html);
        while (m.find()) {
            long[] v = new long[6];
            v[0] = Long.parseLong(m.group(2));
            for (int i = 3; i <= 7; i++) {
                v[i - 2] = m.group(i) == null ? -1 : Long.parseLong(m.group(i));
            }
            charts.put(m.group(1), v);
        }
        return charts;
    }

    private static String card(String label, String value) {
        return "<div class=\"card\"><div class=\"value\">" + value + "</div><div class=\"label\">" + label
                + "</div></div>";
    }

    @Test
    void headlineNumbersAndEveryChartFromTheData() throws IOException {
        setUp();
        String html = report(tmp.resolve("report.html"));
        assertTrue(html.startsWith("<!DOCTYPE html>"), html);
        assertTrue(html.contains(card("Customers", "30")), html);
        assertTrue(html.contains(card("Transactions", "90")), html);
        assertTrue(html.contains(card("Revenue", String.format(Locale.ROOT, "%,.2f", 90 * 91 / 2.0))), html);
        assertTrue(html.contains(card("Churn rate", "33.3%")), html);
        // customer c has time 10c and churned if c is a multiple of 3, with 31 - c at risk then: S is the product
        // of (n - 1) / n for n = 28, 25, ..., 4: 0.559 at 240 and 0.419 at 270, the median
        assertTrue(html.contains(card("Median survival", "270 days")), html);
        Map<String, long[]> charts = charts(html);
        assertEquals(CHARTS, List.copyOf(charts.keySet()), html);
        // survival: one point per distinct time; the gender with markup is a group of its own
        assertEquals(30, charts.get("survival-gender")[0]);
        assertEquals(24, charts.get("survival-customer-type")[0]); // 24 customers with a prediction
        assertEquals(3 * 20, charts.get("clv-distribution")[0]); // three types, 20 ranges each
        assertEquals(6 * 4, charts.get("revenue-by-month")[0]); // six months, four payment methods each
        assertEquals(4 * 2, charts.get("campaign-success")[0]); // three types and all, two campaigns
        // names from the data are escaped
        assertTrue(html.contains("&lt;b&gt;x&lt;/b&gt;") && !html.contains("<b>x</b>"), html);
        // nothing to fetch: no links, sources, imports or URLs
        for (String remote : List.of("http:", "https:", "file:", "@import", "url(")) {
            assertFalse(html.contains(remote), () -> "the page refers to '" + remote + "'");
        }
        assertFalse(html.matches("(?s).*(src|href)\\s*=.*"), "no src or href attributes");
    }

    @Test
    void asOfCountsTransactionsUpToIt() throws IOException {
        setUp();
        String html = report(tmp.resolve("march.html"), "--as-of", "2023-03-31 23:59:59");
        assertTrue(html.contains(card("Transactions", "45")), html);
        assertTrue(html.contains(card("Revenue", String.format(Locale.ROOT, "%,.2f", 45 * 46 / 2.0))), html);
        assertTrue(html.contains("As of <strong>2023-03-31 23:59</strong>"), html);
        assertEquals(3 * 4, charts(html).get("revenue-by-month")[0]);
    }

    /** As of a time before every transaction, nothing existed yet: no customers, no transactions, no churn rate. */
    @Test
    void asOfBeforeEveryTransactionCountsNothing() throws IOException {
        setUp();
        Path file = tmp.resolve("1900.html");
        Cli.Run r = ok("report", "--output", file.toString(), "--as-of", "1900-01-01");
        assertEquals("wrote " + file + " (0 customers, 5 charts)\n", r.out());
        String html = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(html.contains(card("Customers", "0")), html);
        assertTrue(html.contains(card("Transactions", "0")), html);
        assertTrue(html.contains(card("Churn rate", "&ndash;")), html);
        // as of January: transactions 1-15, of customers 2-16
        Cli.Run march = ok("report", "--output", tmp.resolve("m.html").toString(), "--as-of", "2023-01-31 23:59:59");
        assertEquals("wrote " + tmp.resolve("m.html") + " (15 customers, 5 charts)\n", march.out());
    }

    @Test
    void anEmptyDatabaseGivesAPageWithEmptyCharts() throws IOException {
        initSchema();
        Path file = tmp.resolve("empty.html");
        Cli.Run r = ok("report", "--output", file.toString());
        assertEquals("wrote " + file + " (0 customers, 5 charts)\n", r.out());
        String html = Files.readString(file);
        assertTrue(html.contains(card("Customers", "0")) && html.contains(card("Median survival", "not reached")));
        charts(html).values().forEach(v -> assertEquals(0, v[0]));
        assertTrue(html.contains(">no data</text>"), html);
    }

    @Test
    void badInputIsOneSentence() throws IOException {
        setUp();
        assertFails(run("report"), 2, "Missing required option: '--output=FILE.html'");
        assertFails(run("report", "--output", tmp.resolve("no/such/folder/r.html").toString()), 2,
                "its folder " + tmp.resolve("no/such/folder") + " does not exist");
        assertFails(run("report", "--output", tmp.resolve("r.html").toString(), "--as-of", "soon"), 2,
                "not a date: 'soon'");
        assertFalse(Files.exists(tmp.resolve("r.html")));
    }

    /** The page in a real browser (once, on SQLite): no console errors, and every chart drawn where it is. */
    @Test
    void rendersInHeadlessChromiumWithEveryChartDrawn() throws Exception {
        Assumptions.assumeTrue(kind == TestDatabase.Kind.SQLITE, "the browser check runs once, on SQLite");
        chromium();
        setUp();
        Path page = tmp.resolve("report.html");
        String html = report(page);
        Path png = tmp.resolve("report.png");
        assertRendered(page, html, CHARTS, CHARTS, png, 3000, tmp);
    }

    /**
     * Renders {@code page} in headless Chromium (a window 1100 wide and {@code height} high, a screenshot to
     * {@code png}): no console lines, exactly {@code expected} charts; those in {@code check} with every series
     * element drawn, all on the screenshot and coloured.
     */
    static void assertRendered(Path page, String html, List<String> expected, List<String> check, Path png,
            int height, Path tmp)
            throws Exception {
        String chromium = chromium();
        int width = 1100;
        Process p = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--enable-logging=stderr", "--v=0", "--force-device-scale-factor=1", "--window-size=" + width + ","
                + height, "--screenshot=" + png, "--dump-dom", page.toUri().toString())
                .redirectError(tmp.resolve("chromium.log").toFile()).start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Files.writeString(tmp.resolve("dom.html"), dom);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish");
        String log = Files.readString(tmp.resolve("chromium.log"));
        assertEquals(0, p.exitValue(), log);
        // the page writes nothing to the console: any console line is an error (a failed request, a script error)
        assertFalse(log.contains(":CONSOLE"), log);
        Map<String, long[]> drawn = charts(dom);
        Map<String, long[]> written = charts(html);
        assertEquals(expected, List.copyOf(drawn.keySet()), dom);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(width, image.getWidth());
        for (String chart : check) {
            long[] v = drawn.get(chart);
            assertTrue(v[1] > 0, () -> chart + ": nothing drawn: " + dom);
            // every series element has a size: lines for the curves, a rectangle for each bar
            long series = Pattern.compile("class=\"series\"").matcher(html.substring(html.indexOf("data-chart=\""
                    + chart + "\""), html.indexOf("</svg>", html.indexOf("data-chart=\"" + chart + "\"")))).results()
                    .count();
            assertEquals(series, v[1], chart);
            assertEquals(written.get(chart)[0], v[0], chart);
            int x = (int) v[2];
            int y = (int) v[3];
            int w = (int) v[4];
            int h = (int) v[5];
            assertTrue(w > 500 && h > 200 && y + h <= image.getHeight(), () -> chart + " at " + x + "," + y + " " + w
                    + "x" + h + " is not all on the screenshot");
            long colored = 0;
            for (int py = y; py < y + h; py++) {
                for (int px = x; px < x + w; px++) {
                    int rgb = image.getRGB(px, py);
                    int r = rgb >> 16 & 255;
                    int g = rgb >> 8 & 255;
                    int b = rgb & 255;
                    if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 80) {
                        colored++;
                    }
                }
            }
            long enough = colored;
            assertTrue(enough > 1500, () -> chart + ": only " + enough + " coloured pixels in its area");
        }
    }

    /** The CDNOW sample's page with --holdout-from: the Model check section and its two charts, on every database. */
    @Test
    void holdoutFromAddsTheModelCheckSection() throws IOException {
        String html = cdnowModelCheck(tmp.resolve("check.html"));
        assertTrue(html.contains("<section class=\"model-check\">\n<h2>Model check</h2>\n<p>BG/NBD fitted on the "
                + "purchases of 2,357 customers to 1997-09-30, compared with what they bought from 1997-10-01 to "
                + "1998-06-30 (39.0 weeks): 1,882 repeat purchases, "), html);
        Map<String, long[]> charts = charts(html);
        assertEquals(MODEL_CHECK_CHARTS, List.copyOf(charts.keySet()), html);
        assertEquals(2 * 78, charts.get("model-tracking")[0]); // actual and expected, 78 weeks
        assertEquals(2 * 8, charts.get("model-by-frequency")[0]); // 0 to 6 and 7+, actual and expected
        String tracking = html.substring(html.indexOf("data-chart=\"model-tracking\""));
        tracking = tracking.substring(0, tracking.indexOf("</svg>"));
        assertTrue(tracking.contains("<line class=\"marker\"") && tracking.contains(">holdout from 1997-10-01</text>"),
                tracking);
        assertTrue(tracking.contains(">Actual</text>") && tracking.contains(">Expected (BG/NBD)</text>"), tracking);
        assertTrue(tracking.contains(">Weeks since 1997-01-01</text>"), tracking);
        // without --holdout-from, no section; --model without it is a usage error
        assertFalse(ok("report", "--output", tmp.resolve("plain.html").toString()).out().contains("7 charts"));
        assertFails(run("report", "--output", tmp.resolve("x.html").toString(), "--model", "best"), 2,
                "give --holdout-from too");
    }

    static final List<String> MODEL_CHECK_CHARTS = List.of("survival-gender", "survival-customer-type",
            "clv-distribution", "revenue-by-month", "campaign-success", "model-tracking", "model-by-frequency");

    private String cdnowModelCheck(Path file) throws IOException {
        ispdb.testing.Cdnow.load(cli, db.url());
        Cli.Run r = ok("report", "--output", file.toString(), "--holdout-from", "1997-09-30", "--as-of",
                "1998-06-30");
        assertEquals("wrote " + file + " (2357 customers, 7 charts)\n", r.out());
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    /**
     * The Model check in Chromium; with -Dispdb.docs.update=true the screenshot of the section becomes
     * docs/report-model-check.png.
     */
    @Test
    void modelCheckRendersInHeadlessChromium() throws Exception {
        Assumptions.assumeTrue(kind == TestDatabase.Kind.SQLITE, "the browser check runs once, on SQLite");
        chromium();
        Path page = tmp.resolve("check.html");
        String html = cdnowModelCheck(page);
        Path png = tmp.resolve("check.png");
        // CDNOW has no survival columns, predictions or campaigns: the two charts of the section are the ones to check
        assertRendered(page, html, MODEL_CHECK_CHARTS, List.of("model-tracking", "model-by-frequency"), png, 4200,
                tmp);
        if (Boolean.getBoolean("ispdb.docs.update")) {
            BufferedImage image = ImageIO.read(png.toFile());
            String dom = Files.readString(tmp.resolve("dom.html"));
            long[] first = charts(dom).get("model-tracking");
            long[] last = charts(dom).get("model-by-frequency");
            int top = (int) Math.max(0, first[3] - 120);
            int bottom = (int) Math.min(image.getHeight(), last[3] + last[5] + 60);
            ImageIO.write(image.getSubimage(0, top, image.getWidth(), bottom - top), "png",
                    Path.of("docs/report-model-check.png").toFile());
        }
    }

    private static String chromium() {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
                if (Files.isExecutable(Path.of(dir, name))) {
                    return Path.of(dir, name).toString();
                }
            }
        }
        System.err.println("SKIPPED: chromium is not installed (apt-get install chromium); the report is not "
                + "checked in a browser");
        Assumptions.abort("SKIPPED: chromium is not installed");
        return null;
    }
}
