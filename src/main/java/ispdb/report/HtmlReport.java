package ispdb.report;

import ispdb.IspdbException;
import ispdb.analysis.HoldoutCheck;
import ispdb.analysis.KaplanMeier;
import ispdb.analysis.PurchaseModel;
import ispdb.analysis.Survival;
import ispdb.db.AnalysisMapper;
import ispdb.db.Database;
import ispdb.db.PurchaseSummaries;
import ispdb.files.OutputFile;
import ispdb.model.CampaignResults;
import ispdb.model.ClvBin;
import ispdb.model.ClvRange;
import ispdb.model.Headline;
import ispdb.model.HoldoutRow;
import ispdb.model.MonthlyRevenue;
import ispdb.model.SurvivalCount;
import ispdb.model.SurvivalPoint;
import ispdb.model.Timestamps;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;

/**
 * report: one self-contained HTML page (inline SVG and CSS, no requests): the headline numbers, Kaplan-Meier
 * curves by gender and by customer type with their confidence bands, the CLV distribution by customer type,
 * revenue per month by payment method, and campaign success rates.
 */
public final class HtmlReport {
    /** Bins of the CLV histogram. */
    static final int CLV_BINS = 20;

    /** What the page shows, gathered from the database. */
    record Content(String database, LocalDateTime asOf, Headline headline, double medianSurvival,
            Map<String, List<SurvivalPoint>> byGender, Map<String, List<SurvivalPoint>> byType,
            List<MonthlyRevenue> revenue, ClvRange clvRange, List<ClvBin> clvBins, List<CampaignResults> campaigns,
            ModelCheck check) {
    }

    /** The model check (report --holdout-from): the holdout's data and the model's check of it. */
    record ModelCheck(HoldoutCheck.Data data, HoldoutCheck.Result result) {
    }

    /** What was written: the file and its charts. */
    public record Result(Path file, int charts, long customers) {
    }

    private HtmlReport() {
    }

    /**
     * Writes the page to {@code output} (an {@link OutputFile}: a file is replaced whole, or not at all).
     *
     * @param asOf transactions up to this time (null: all of them, up to the latest)
     */
    public static Result write(Database db, LocalDateTime asOf, OutputFile output, String version) {
        return write(db, asOf, null, PurchaseModel.Kind.BG_NBD, output, version);
    }

    /**
     * Writes the page, with a "Model check" section where {@code holdoutFrom} is given: the model fitted on the
     * purchases to the end of its day, checked on the days after it to as-of (predict --holdout-from's check).
     *
     * @param model the model of repeat purchases checked; null: the one with the lowest holdout MAE (--model best)
     */
    public static Result write(Database db, LocalDateTime asOf, LocalDateTime holdoutFrom, PurchaseModel.Kind model,
            OutputFile output, String version) {
        Content content = gather(db, asOf);
        if (holdoutFrom != null) {
            HoldoutCheck.Data data = HoldoutCheck.read(db, holdoutFrom, asOf);
            HoldoutCheck.Result result = model != null ? HoldoutCheck.check(data, model)
                    : HoldoutCheck.best(HoldoutCheck.compare(data)).result();
            content = new Content(content.database(), content.asOf(), content.headline(), content.medianSurvival(),
                    content.byGender(), content.byType(), content.revenue(), content.clvRange(), content.clvBins(),
                    content.campaigns(), new ModelCheck(data, result));
        }
        String html = html(content, version);
        try {
            output.writer().write(html);
        } catch (IOException e) {
            throw output.failed(e);
        }
        output.commit();
        return new Result(output.path(), html.split("<svg class=\"chart\"", -1).length - 1,
                content.headline().customers());
    }

    static Content gather(Database db, LocalDateTime asOf) {
        db.useMappers(AnalysisMapper.class);
        try (SqlSession session = db.session(ExecutorType.SIMPLE)) {
            AnalysisMapper mapper = session.getMapper(AnalysisMapper.class);
            ReportCounts counts = new ReportCounts();
            mapper.reportCustomers(counts);
            Map<String, List<SurvivalPoint>> byGender = curves(counts.survival(Survival.By.GENDER));
            Map<String, List<SurvivalPoint>> byType = curves(counts.survival(Survival.By.CUSTOMER_TYPE));
            Map<String, List<SurvivalPoint>> all = curves(counts.survival(null));
            double median = all.isEmpty() ? Double.NaN : KaplanMeier.median(all.values().iterator().next());
            LocalDateTime latest = mapper.latestTransactionDate();
            LocalDateTime end = asOf != null ? asOf : latest;
            ClvRange range = counts.clvRange();
            List<ClvBin> bins = List.of();
            if (range.customers() > 0) {
                double width = range.maxClv() > range.minClv() ? (range.maxClv() - range.minClv()) / CLV_BINS : 1;
                bins = counts.clvHistogram(range.minClv(), width, CLV_BINS);
            }
            boolean fromSummary = PurchaseSummaries.cover(end, latest);
            return new Content(db.describe(), end, mapper.headline(end, fromSummary), median,
                    byGender, byType, end == null ? List.of() : mapper.monthlyRevenue(end, fromSummary), range, bins,
                    counts.campaigns(), null);
        } catch (IspdbException e) {
            throw e;
        } catch (RuntimeException e) {
            throw db.failure("gather the report's figures", e);
        }
    }

    private static Map<String, List<SurvivalPoint>> curves(Map<String, List<SurvivalCount>> groups) {
        Map<String, List<SurvivalPoint>> curves = new TreeMap<>();
        groups.forEach((g, counts) -> curves.put(g, KaplanMeier.estimate(g, counts, KaplanMeier.Interval.LOG)));
        return curves;
    }

    static String html(Content c, String version) {
        StringBuilder s = new StringBuilder();
        String asOf = c.asOf() == null ? "no transactions" : Timestamps.format(c.asOf()).substring(0, 16);
        s.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Customer report, as of ").append(SvgChart.escape(asOf)).append("</title>\n")
                .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n<main>\n");
        s.append("<header>\n<h1>Customers, churn and revenue</h1>\n<p>As of <strong>")
                .append(SvgChart.escape(asOf)).append("</strong> &middot; ").append(SvgChart.escape(c.database()))
                .append(" &middot; made by ispdb ").append(SvgChart.escape(version)).append(" on ")
                .append(LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).toString().replace('T', ' '))
                .append(" UTC</p>\n</header>\n");
        headline(s, c);
        figure(s, survivalChart("survival-gender", "Survival by gender", c.byGender()),
                "Kaplan-Meier estimate of the share of customers who have not churned, by days from their first "
                        + "transaction, with 95% confidence bands (R survfit's log interval). Customers without a "
                        + "gender are left out.");
        figure(s, survivalChart("survival-customer-type", "Survival by customer type", c.byType()),
                "The same, by the customer type of each customer's latest prediction; customers without a "
                        + "prediction are left out.");
        figure(s, clvChart(c), "Customers per CLV range, by the customer type of their latest prediction ("
                + CLV_BINS + " ranges of equal width).");
        figure(s, revenueChart(c), "The sum of the transactions' amounts per calendar month, stacked by payment "
                + "method.");
        figure(s, campaignChart(c), "The share of successes among the latest predictions whose campaign outcome "
                + "is known, per customer type and overall.");
        if (c.check() != null) {
            modelCheck(s, c.check());
        }
        s.append("<footer>survival_time and event_observed are read as stored: recompute them with "
                + "<code>ispdb refresh-customer-stats</code>.</footer>\n</main>\n");
        s.append("<script>\n").append(MARKS).append("</script>\n</body>\n</html>\n");
        return s.toString();
    }

    private static void headline(StringBuilder s, Content c) {
        Headline h = c.headline();
        String churn = h.withStatus() == 0 ? "&ndash;"
                : String.format(Locale.ROOT, "%.1f%%", 100.0 * h.churned() / h.withStatus());
        String median = Double.isNaN(c.medianSurvival()) ? "not reached"
                : String.format(Locale.ROOT, "%,.0f days", c.medianSurvival());
        s.append("<section class=\"headline\">\n");
        card(s, "Customers", String.format(Locale.ROOT, "%,d", h.customers()));
        card(s, "Transactions", String.format(Locale.ROOT, "%,d", h.transactions()));
        card(s, "Revenue", String.format(Locale.ROOT, "%,.2f", h.revenue()));
        card(s, "Churn rate", churn);
        card(s, "Median survival", median);
        s.append("</section>\n");
    }

    private static void card(StringBuilder s, String label, String value) {
        s.append("<div class=\"card\"><div class=\"value\">").append(value).append("</div><div class=\"label\">")
                .append(label).append("</div></div>\n");
    }

    private static void figure(StringBuilder s, String svg, String caption) {
        s.append("<figure>\n").append(svg).append("<figcaption>").append(SvgChart.escape(caption))
                .append("</figcaption>\n</figure>\n");
    }

    static String survivalChart(String id, String title, Map<String, List<SurvivalPoint>> curves) {
        double maxTime = 0;
        for (List<SurvivalPoint> points : curves.values()) {
            if (!points.isEmpty()) {
                maxTime = Math.max(maxTime, points.get(points.size() - 1).time());
            }
        }
        SvgChart chart = new SvgChart(id, title, "Days since the first transaction", "Share not churned")
                .ranges(0, maxTime, 0, 1).percent();
        int color = 0;
        for (Map.Entry<String, List<SurvivalPoint>> e : curves.entrySet()) {
            List<SurvivalPoint> p = e.getValue();
            double[] t = new double[p.size()];
            double[] surv = new double[p.size()];
            double[] lower = new double[p.size()];
            double[] upper = new double[p.size()];
            for (int i = 0; i < p.size(); i++) {
                t[i] = p.get(i).time();
                surv[i] = p.get(i).survival();
                lower[i] = p.get(i).lower95();
                upper[i] = p.get(i).upper95();
            }
            chart.stepCurve(e.getKey(), color++, t, surv, lower, upper);
        }
        return chart.svg();
    }

    static String clvChart(Content c) {
        ClvRange range = c.clvRange();
        double min = range.customers() > 0 ? range.minClv() : 0;
        double width = range.customers() > 0 && range.maxClv() > range.minClv()
                ? (range.maxClv() - range.minClv()) / CLV_BINS : 1;
        Map<String, long[]> counts = new TreeMap<>();
        long most = 0;
        for (ClvBin b : c.clvBins()) {
            String type = b.customerType() == null ? "(no type)" : b.customerType();
            long[] bins = counts.computeIfAbsent(type, t -> new long[CLV_BINS]);
            bins[Math.max(0, Math.min(CLV_BINS - 1, b.bin()))] += b.customers();
            most = Math.max(most, bins[Math.max(0, Math.min(CLV_BINS - 1, b.bin()))]);
        }
        SvgChart chart = new SvgChart("clv-distribution", "CLV distribution by customer type",
                "CLV of the latest prediction (amount)", "Customers")
                .ranges(min, min + width * CLV_BINS, 0, Math.max(1, most * 1.1));
        int color = 0;
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            double[] x = new double[CLV_BINS];
            double[] y = new double[CLV_BINS];
            for (int i = 0; i < CLV_BINS; i++) {
                x[i] = min + width * (i + 0.5);
                y[i] = e.getValue()[i];
            }
            chart.line(e.getKey(), color++, x, y);
        }
        return chart.svg();
    }

    static String revenueChart(Content c) {
        TreeSet<String> months = new TreeSet<>();
        TreeSet<String> methods = new TreeSet<>();
        for (MonthlyRevenue r : c.revenue()) {
            months.add(r.month());
            methods.add(r.paymentMethodName());
        }
        List<String> monthList = new ArrayList<>(months);
        List<String> methodList = new ArrayList<>(methods);
        double[][] values = new double[methodList.size()][monthList.size()];
        for (double[] row : values) {
            java.util.Arrays.fill(row, Double.NaN);
        }
        double[] totals = new double[monthList.size()];
        for (MonthlyRevenue r : c.revenue()) {
            int m = monthList.indexOf(r.month());
            values[methodList.indexOf(r.paymentMethodName())][m] = r.revenue();
            totals[m] += r.revenue();
        }
        double most = 0;
        for (double t : totals) {
            most = Math.max(most, t);
        }
        SvgChart chart = new SvgChart("revenue-by-month", "Revenue per month by payment method", "Month",
                "Revenue (amount)").categories(monthList, most * 1.05);
        chart.bars(methodList, values, true, false);
        return chart.svg();
    }

    static String campaignChart(Content c) {
        List<String> types = new ArrayList<>();
        List<double[]> rates = new ArrayList<>();
        long[] all = new long[4];
        for (CampaignResults r : c.campaigns()) {
            types.add(r.customerType() == null ? "(no type)" : r.customerType());
            rates.add(new double[] {rate(r.campaign1Success(), r.campaign1Known()),
                rate(r.campaign2Success(), r.campaign2Known())});
            all[0] += r.campaign1Success();
            all[1] += r.campaign1Known();
            all[2] += r.campaign2Success();
            all[3] += r.campaign2Known();
        }
        if (!types.isEmpty()) {
            types.add("All");
            rates.add(new double[] {rate(all[0], all[1]), rate(all[2], all[3])});
        }
        double[][] values = new double[2][types.size()];
        double most = 0;
        for (int i = 0; i < types.size(); i++) {
            values[0][i] = rates.get(i)[0];
            values[1][i] = rates.get(i)[1];
            most = Math.max(most, Math.max(Double.isNaN(values[0][i]) ? 0 : values[0][i],
                    Double.isNaN(values[1][i]) ? 0 : values[1][i]));
        }
        SvgChart chart = new SvgChart("campaign-success", "Campaign success rates", "Customer type (latest prediction)",
                "Success rate").categories(types, Math.min(1, Math.max(0.1, most * 1.15))).percent();
        chart.bars(List.of("Campaign 1", "Campaign 2"), values, false, true);
        return chart.svg();
    }

    /** The "Model check" section: the tracking curve and the holdout purchases by calibration frequency. */
    private static void modelCheck(StringBuilder s, ModelCheck check) {
        HoldoutCheck.Data data = check.data();
        HoldoutCheck.Result result = check.result();
        String model = result.kind().title();
        HoldoutRow total = result.totals().get(0);
        s.append("<section class=\"model-check\">\n<h2>Model check</h2>\n<p>").append(SvgChart.escape(model))
                .append(" fitted on the purchases of ").append(String.format(Locale.ROOT, "%,d",
                        data.calibration().size())).append(" customers to ").append(data.calibrationEnd())
                .append(", compared with what they bought from ").append(data.calibrationEnd().plusDays(1))
                .append(" to ").append(data.asOf()).append(String.format(Locale.ROOT, " (%.1f weeks): ",
                        data.holdoutWeeks())).append(String.format(Locale.ROOT, "%,.0f repeat purchases, %,.1f "
                        + "expected; mean absolute error per customer %.3f, root mean square error %.3f.",
                        total.actual(), total.expected(), total.mae(), total.rmse())).append("</p>\n");
        figure(s, trackingChart(data, result), "Cumulative repeat purchases (purchase days after a customer's first) "
                + "per week since the first purchase, and the " + model + " model's expectation for the customers by "
                + "the day of their first purchase. Left of the dashed line, the calibration period the model was "
                + "fitted on; right of it, the holdout.");
        figure(s, frequencyChart(result), "Mean repeat purchases per customer in the holdout, by the number of "
                + "repeat purchases in the calibration period: what happened and what " + model + " expected.");
        s.append("</section>\n");
    }

    static String trackingChart(HoldoutCheck.Data data, HoldoutCheck.Result result) {
        List<HoldoutRow> rows = result.tracking();
        double[] weeks = new double[rows.size()];
        double[] actual = new double[rows.size()];
        double[] expected = new double[rows.size()];
        double most = 0;
        for (int i = 0; i < rows.size(); i++) {
            weeks[i] = Double.parseDouble(rows.get(i).key());
            actual[i] = rows.get(i).actual();
            expected[i] = rows.get(i).expected();
            most = Math.max(most, Math.max(actual[i], expected[i]));
        }
        SvgChart chart = new SvgChart("model-tracking", "Tracking: cumulative repeat purchases",
                "Weeks since " + data.firstDay(), "Repeat purchases")
                .ranges(0, Math.max(1, weeks.length == 0 ? 0 : weeks[weeks.length - 1]), 0, Math.max(1, most * 1.05));
        chart.line("Actual", 0, weeks, actual);
        chart.line("Expected (" + result.kind().title() + ")", 1, weeks, expected);
        chart.marker(data.holdoutStartWeek(), "holdout from " + data.calibrationEnd().plusDays(1));
        return chart.svg();
    }

    static String frequencyChart(HoldoutCheck.Result result) {
        List<String> groups = new ArrayList<>();
        double[][] values = new double[2][result.byFrequency().size()];
        double most = 0;
        for (int i = 0; i < result.byFrequency().size(); i++) {
            HoldoutRow r = result.byFrequency().get(i);
            groups.add(r.key());
            values[0][i] = r.actual() == null ? Double.NaN : r.actual();
            values[1][i] = r.expected() == null ? Double.NaN : r.expected();
            most = Math.max(most, Math.max(r.actual() == null ? 0 : r.actual(), r.expected() == null ? 0 : r.expected()));
        }
        SvgChart chart = new SvgChart("model-by-frequency", "Holdout purchases by calibration frequency",
                "Repeat purchases in the calibration period", "Mean repeat purchases in the holdout")
                .categories(groups, Math.max(0.1, most * 1.15));
        chart.bars(List.of("Actual", "Expected (" + result.kind().title() + ")"), values, false, true);
        return chart.svg();
    }

    private static double rate(long success, long known) {
        return known == 0 ? Double.NaN : (double) success / known;
    }

    private static final String CSS = """
            :root { color-scheme: light; }
            * { box-sizing: border-box; }
            body { margin: 0; background: #f4f5f7; color: #1d2733;
              font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
              -webkit-print-color-adjust: exact; print-color-adjust: exact; }
            main { max-width: 980px; margin: 0 auto; padding: 28px 24px 40px; }
            header h1 { margin: 0 0 4px; font-size: 26px; }
            header p { margin: 0 0 22px; color: #5a6776; font-size: 13px; }
            .headline { display: grid; grid-template-columns: repeat(5, 1fr); gap: 12px; margin-bottom: 22px; }
            .card { background: #fff; border: 1px solid #dde1e6; border-radius: 8px; padding: 14px 16px; }
            .card .value { font-size: 22px; font-weight: 650; font-variant-numeric: tabular-nums; }
            .card .label { color: #5a6776; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
            figure { margin: 0 0 18px; background: #fff; border: 1px solid #dde1e6; border-radius: 8px;
              padding: 12px 14px 10px; break-inside: avoid; page-break-inside: avoid; }
            figcaption { color: #5a6776; font-size: 12.5px; margin: 4px 6px 2px; }
            svg.chart { display: block; width: 100%; height: auto; }
            svg.chart text { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; fill: #33404d; }
            svg.chart .title { font-size: 15px; font-weight: 650; fill: #1d2733; }
            svg.chart .label { font-size: 12.5px; fill: #5a6776; }
            svg.chart .value { font-size: 11px; fill: #33404d; }
            svg.chart .empty { font-size: 14px; fill: #8a96a3; }
            svg.chart .axis line { stroke: #5a6776; }
            svg.chart .axis line.grid { stroke: #e7eaee; }
            svg.chart .axis line.frame { stroke: #5a6776; stroke-width: 1.2; }
            .model-check h2 { font-size: 19px; margin: 26px 0 4px; }
            .model-check p { color: #33404d; font-size: 13.5px; margin: 0 0 12px; }
            footer { color: #5a6776; font-size: 12px; margin-top: 8px; }
            @page { size: A4; margin: 12mm; }
            @media print {
              body { background: #fff; font-size: 12px; }
              main { max-width: none; padding: 0; }
              .card, figure { border-color: #c9ced4; }
            }
            """;

    /**
     * Marks each chart with what the browser drew: the series elements with a size (data-drawn) and where the
     * chart is on the page (data-box, CSS pixels), for checks of the rendered page. It changes nothing visible.
     */
    private static final String MARKS = """
            document.querySelectorAll('svg.chart').forEach(function (svg) {
              var drawn = 0;
              svg.querySelectorAll('.series').forEach(function (e) {
                var b = e.getBBox();
                if (b.width > 0 || b.height > 0) { drawn++; }
              });
              var r = svg.getBoundingClientRect();
              svg.setAttribute('data-drawn', String(drawn));
              svg.setAttribute('data-box', [r.left + window.scrollX, r.top + window.scrollY, r.width, r.height]
                .map(Math.round).join(','));
            });
            """;
}
