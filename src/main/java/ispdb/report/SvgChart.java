package ispdb.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One chart as inline SVG: a title, axes with ticks, labels and units, a legend, and the series drawn as step
 * curves with bands, lines with markers, or bars. No scripts, fonts or files of its own: it prints as vectors.
 * The {@code svg} element carries {@code class="chart"}, {@code data-chart} (its id) and {@code data-points}
 * (how many data points it draws), and every drawn series element {@code class="series"}.
 */
final class SvgChart {
    /** Okabe and Ito's palette: told apart by everyone, and on paper. */
    static final String[] COLORS = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442",
        "#000000"};

    static final int WIDTH = 900;
    static final int HEIGHT = 380;
    private static final int LEFT = 78;
    private static final int RIGHT = 24;
    private static final int TOP = 56;
    private static final int BOTTOM = 62;

    private final String id;
    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final StringBuilder body = new StringBuilder();
    private final List<String[]> legend = new ArrayList<>();
    private double xMin;
    private double xMax;
    private double yMin;
    private double yMax;
    private List<String> categories;
    private boolean yPercent;
    private int points;

    SvgChart(String id, String title, String xLabel, String yLabel) {
        this.id = id;
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** A numeric x axis from xMin to xMax and y axis from yMin to yMax (widened to round ticks). */
    SvgChart ranges(double xMin, double xMax, double yMin, double yMax) {
        this.xMin = xMin;
        this.xMax = xMax > xMin ? xMax : xMin + 1;
        this.yMin = yMin;
        this.yMax = yMax > yMin ? yMax : yMin + 1;
        return this;
    }

    /** Categories along x (bars), y from 0 to yMax. */
    SvgChart categories(List<String> names, double yMax) {
        this.categories = List.copyOf(names);
        this.xMin = 0;
        this.xMax = Math.max(1, names.size());
        this.yMin = 0;
        this.yMax = yMax > 0 ? yMax : 1;
        return this;
    }

    /** Shows the y values as percentages (the values are fractions). */
    SvgChart percent() {
        yPercent = true;
        return this;
    }

    private double px(double x) {
        return LEFT + (x - xMin) / (xMax - xMin) * (WIDTH - LEFT - RIGHT);
    }

    private double py(double y) {
        return HEIGHT - BOTTOM - (y - yMin) / (yMax - yMin) * (HEIGHT - TOP - BOTTOM);
    }

    /**
     * A survival curve: a step function from (0, 1), falling at each time; and its confidence band, shaded, as
     * far as the band is defined.
     */
    void stepCurve(String name, int color, double[] times, double[] survival, double[] lower, double[] upper) {
        String c = COLORS[color % COLORS.length];
        StringBuilder band = new StringBuilder();
        StringBuilder back = new StringBuilder();
        double prevLower = 1;
        double prevUpper = 1;
        double prevT = 0;
        for (int i = 0; i < times.length && Double.isFinite(lower[i]) && Double.isFinite(upper[i]); i++) {
            band.append(band.length() == 0 ? "M" : " L").append(xy(prevT, prevUpper)).append(" L")
                    .append(xy(times[i], prevUpper));
            back.insert(0, " L" + xy(times[i], prevLower) + " L" + xy(prevT, prevLower));
            prevT = times[i];
            prevUpper = upper[i];
            prevLower = lower[i];
        }
        if (band.length() > 0) {
            body.append("<path class=\"band\" d=\"").append(band).append(" L").append(xy(prevT, prevUpper))
                    .append(" L").append(xy(prevT, prevLower)).append(back).append(" Z\" fill=\"").append(c)
                    .append("\" fill-opacity=\"0.15\" stroke=\"none\"/>\n");
        }
        StringBuilder line = new StringBuilder("M").append(xy(0, 1));
        double prev = 1;
        for (int i = 0; i < times.length; i++) {
            line.append(" L").append(xy(times[i], prev)).append(" L").append(xy(times[i], survival[i]));
            prev = survival[i];
        }
        body.append("<path class=\"series\" d=\"").append(line).append("\" fill=\"none\" stroke=\"").append(c)
                .append("\" stroke-width=\"2\"/>\n");
        points += times.length;
        legend.add(new String[] {name, c, "line"});
    }

    /** A line through the points, with a marker at each. */
    void line(String name, int color, double[] xs, double[] ys) {
        String c = COLORS[color % COLORS.length];
        StringBuilder d = new StringBuilder();
        StringBuilder marks = new StringBuilder();
        for (int i = 0; i < xs.length; i++) {
            d.append(i == 0 ? "M" : " L").append(xy(xs[i], ys[i]));
            marks.append("<circle cx=\"").append(num(px(xs[i]))).append("\" cy=\"").append(num(py(ys[i])))
                    .append("\" r=\"2.5\"/>");
        }
        body.append("<path class=\"series\" d=\"").append(d).append("\" fill=\"none\" stroke=\"").append(c)
                .append("\" stroke-width=\"2\"/>\n<g fill=\"").append(c).append("\">").append(marks).append("</g>\n");
        points += xs.length;
        legend.add(new String[] {name, c, "line"});
    }

    /**
     * A dashed vertical line at {@code x} from the bottom of the plot to its top, with {@code label} beside its top
     * (where something changes: the holdout starts). It is not a series.
     */
    void marker(double x, String label) {
        double top = py(yMax);
        body.append("<line class=\"marker\" x1=\"").append(num(px(x))).append("\" x2=\"").append(num(px(x)))
                .append("\" y1=\"").append(num(py(yMin))).append("\" y2=\"").append(num(top))
                .append("\" stroke=\"#33404d\" stroke-width=\"1.5\" stroke-dasharray=\"6,4\"/>\n<text x=\"")
                .append(num(px(x) + 6)).append("\" y=\"").append(num(top + 14)).append("\" class=\"label\">")
                .append(escape(label)).append("</text>\n");
    }

    /**
     * Bars: {@code values[series][category]}, side by side within a category, or stacked; NaN draws nothing.
     * With {@code labels}, each bar shows its value above it.
     */
    void bars(List<String> series, double[][] values, boolean stacked, boolean labels) {
        int k = series.size();
        for (int cat = 0; cat < categories.size(); cat++) {
            double base = 0;
            for (int s = 0; s < k; s++) {
                double v = values[s][cat];
                if (Double.isNaN(v)) {
                    continue;
                }
                double x0;
                double w;
                if (stacked) {
                    x0 = cat + 0.15;
                    w = 0.7;
                } else {
                    w = 0.8 / k;
                    x0 = cat + 0.1 + s * w;
                }
                double y0 = stacked ? base : 0;
                double y1 = y0 + v;
                base = y1;
                String c = COLORS[s % COLORS.length];
                double top = py(y1);
                double height = Math.max(0, py(y0) - top);
                body.append("<rect class=\"series\" x=\"").append(num(px(x0))).append("\" y=\"").append(num(top))
                        .append("\" width=\"").append(num(px(x0 + w) - px(x0))).append("\" height=\"")
                        .append(num(height)).append("\" fill=\"").append(c).append("\"><title>")
                        .append(escape(categories.get(cat) + ", " + series.get(s) + ": " + tick(v, yPercent, 1)))
                        .append("</title></rect>\n");
                if (labels) {
                    body.append("<text x=\"").append(num((px(x0) + px(x0 + w)) / 2)).append("\" y=\"")
                            .append(num(top - 4)).append("\" text-anchor=\"middle\" class=\"value\">")
                            .append(escape(tick(v, yPercent, 0.001))).append("</text>\n");
                }
                points++;
            }
        }
        for (int s = 0; s < k; s++) {
            legend.add(new String[] {series.get(s), COLORS[s % COLORS.length], "box"});
        }
    }

    private String xy(double x, double y) {
        return num(px(x)) + "," + num(py(y));
    }

    String svg() {
        StringBuilder s = new StringBuilder();
        s.append("<svg class=\"chart\" data-chart=\"").append(escape(id)).append("\" data-points=\"").append(points)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"").append(escape(title)).append("\">\n");
        s.append("<text x=\"").append(LEFT).append("\" y=\"22\" class=\"title\">").append(escape(title))
                .append("</text>\n");
        axes(s);
        s.append("<g>\n").append(body).append("</g>\n");
        if (points == 0) {
            s.append("<text x=\"").append(WIDTH / 2).append("\" y=\"").append(HEIGHT / 2)
                    .append("\" text-anchor=\"middle\" class=\"empty\">no data</text>\n");
        }
        legend(s);
        return s.append("</svg>\n").toString();
    }

    private void axes(StringBuilder s) {
        double x0 = px(xMin);
        double x1 = px(xMax);
        double y0 = py(yMin);
        double y1 = py(yMax);
        s.append("<g class=\"axis\">\n");
        double yStep = step(yMax - yMin, 5);
        for (double v = Math.ceil(yMin / yStep) * yStep; v <= yMax + yStep * 1e-9; v += yStep) {
            double y = py(v);
            s.append("<line x1=\"").append(num(x0)).append("\" x2=\"").append(num(x1)).append("\" y1=\"")
                    .append(num(y)).append("\" y2=\"").append(num(y)).append("\" class=\"grid\"/>")
                    .append("<text x=\"").append(num(x0 - 8)).append("\" y=\"").append(num(y + 4))
                    .append("\" text-anchor=\"end\">").append(escape(tick(v, yPercent, yStep))).append("</text>\n");
        }
        if (categories != null) {
            int every = Math.max(1, (int) Math.ceil(categories.size() / 14.0));
            for (int i = 0; i < categories.size(); i += every) {
                s.append("<text x=\"").append(num(px(i + 0.5))).append("\" y=\"").append(num(y0 + 18))
                        .append("\" text-anchor=\"middle\">").append(escape(categories.get(i))).append("</text>\n");
            }
        } else {
            double xStep = step(xMax - xMin, 8);
            for (double v = Math.ceil(xMin / xStep) * xStep; v <= xMax + xStep * 1e-9; v += xStep) {
                double x = px(v);
                s.append("<line x1=\"").append(num(x)).append("\" x2=\"").append(num(x)).append("\" y1=\"")
                        .append(num(y0)).append("\" y2=\"").append(num(y0 + 5)).append("\"/>")
                        .append("<text x=\"").append(num(x)).append("\" y=\"").append(num(y0 + 18))
                        .append("\" text-anchor=\"middle\">").append(escape(tick(v, false, xStep))).append("</text>\n");
            }
        }
        s.append("<line x1=\"").append(num(x0)).append("\" x2=\"").append(num(x1)).append("\" y1=\"").append(num(y0))
                .append("\" y2=\"").append(num(y0)).append("\" class=\"frame\"/>");
        s.append("<line x1=\"").append(num(x0)).append("\" x2=\"").append(num(x0)).append("\" y1=\"").append(num(y0))
                .append("\" y2=\"").append(num(y1)).append("\" class=\"frame\"/>\n");
        s.append("<text x=\"").append(num((x0 + x1) / 2)).append("\" y=\"").append(HEIGHT - 14)
                .append("\" text-anchor=\"middle\" class=\"label\">").append(escape(xLabel)).append("</text>\n");
        s.append("<text transform=\"translate(18,").append(num((y0 + y1) / 2))
                .append(") rotate(-90)\" text-anchor=\"middle\" class=\"label\">").append(escape(yLabel))
                .append("</text>\n</g>\n");
    }

    private void legend(StringBuilder s) {
        double x = WIDTH - RIGHT;
        // right-aligned on the title's line: laid out from the right, about 7 px a character
        StringBuilder items = new StringBuilder();
        for (int i = legend.size() - 1; i >= 0; i--) {
            String[] item = legend.get(i);
            double width = 22 + 7 * item[0].length();
            x -= width + 14;
            String mark = item[2].equals("line")
                    ? "<line x1=\"" + num(x) + "\" x2=\"" + num(x + 16) + "\" y1=\"40\" y2=\"40\" stroke=\"" + item[1]
                            + "\" stroke-width=\"3\"/>"
                    : "<rect x=\"" + num(x) + "\" y=\"34\" width=\"12\" height=\"12\" fill=\"" + item[1] + "\"/>";
            items.insert(0, mark + "<text x=\"" + num(x + 20) + "\" y=\"44\">" + escape(item[0]) + "</text>\n");
        }
        s.append("<g class=\"legend\">\n").append(items).append("</g>\n");
    }

    /** A round step giving about {@code ticks} ticks over {@code range}: 1, 2 or 5 times a power of ten. */
    static double step(double range, int ticks) {
        double raw = range / ticks;
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / power;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
    }

    /** A tick's label: percentages, thousands separators, as many decimals as the step needs. */
    static String tick(double v, boolean percent, double step) {
        if (percent) {
            v *= 100;
            step *= 100;
        }
        int decimals = step >= 1 ? 0 : (int) Math.min(6, Math.ceil(-Math.log10(step) - 1e-9));
        String text = String.format(Locale.ROOT, "%,." + decimals + "f", Math.abs(v) < step * 1e-9 ? 0 : v);
        return percent ? text + "%" : text;
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** Text made safe for HTML and SVG: names come from the data. */
    static String escape(String text) {
        StringBuilder s = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> s.append("&amp;");
                case '<' -> s.append("&lt;");
                case '>' -> s.append("&gt;");
                case '"' -> s.append("&quot;");
                case '\'' -> s.append("&#39;");
                default -> s.append(c);
            }
        }
        return s.toString();
    }
}
