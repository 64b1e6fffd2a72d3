package ispdb.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ispdb.analysis.KaplanMeier;
import ispdb.model.SurvivalPoint;
import ispdb.testing.Cli;
import ispdb.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * survival against R's survival::survfit and survdiff on the same customers, to 1e-9. R runs once for the class
 * (on every database ispdb must give R's numbers); the tests that need it are skipped where R is not installed.
 */
@ParameterizedClass(name = "{0}")
@org.junit.jupiter.params.provider.MethodSource("ispdb.testing.TestDatabase#kinds")
class SurvivalTest extends AnalysisTestBase {
    static final String[] TYPES = {"Star", "Loyal", "Lost Cause", "Free Rider"};

    /** The fixture: customers (survival_time, event_observed, gender), predictions, and R's input. */
    record Data(String customers, String predictions, String rInput) {
    }

    /**
     * 160 customers: times 0-80 with many ties; some without survival_time or event_observed (left out); genders
     * Female, Male, 'female' (a group of its own, everyone churns: its curve reaches 0) and none; 1-3 predictions
     * for four in five customers, the latest (newest predicted_at) giving the type.
     */
    static Data data() {
        Random random = new Random(7);
        StringBuilder customers = new StringBuilder("customer_id,age,gender,first_transaction_date,"
                + "last_transaction_date,survival_time,event_observed\n");
        StringBuilder predictions = new StringBuilder("customer_id,clv,predicted_customer_type,is_campaign1_success,"
                + "is_campaign2_success,predicted_at\n");
        StringBuilder r = new StringBuilder("time,status,gender,type\n");
        for (int c = 1; c <= 160; c++) {
            String gender = c % 11 == 0 ? "" : c % 13 == 0 ? "female" : random.nextInt(5) < 3 ? "Female" : "Male";
            Integer time = c % 17 == 0 ? null : random.nextInt(81);
            Boolean churned = c % 23 == 0 ? null : gender.equals("female") || random.nextInt(3) > 0;
            String type = "";
            if (c % 5 != 0) {
                int n = 1 + random.nextInt(3);
                for (int i = 0; i < n; i++) {
                    String t = TYPES[random.nextInt(TYPES.length)];
                    int day = 1 + random.nextInt(28);
                    int month = 1 + i * 3; // later predictions are newer
                    predictions.append(c).append(',').append(100 + random.nextInt(5000)).append(',').append(t)
                            .append(",,,2024-").append(String.format("%02d-%02d", month, day)).append(" 12:00:00\n");
                    type = t;
                }
            }
            customers.append(c).append(",40,").append(gender).append(",,,").append(time == null ? "" : time)
                    .append(',').append(churned == null ? "" : churned ? "True" : "False").append('\n');
            r.append(time == null ? "" : time).append(',').append(churned == null ? "" : churned ? 1 : 0).append(',')
                    .append(gender).append(',').append(type).append('\n');
        }
        return new Data(customers.toString(), predictions.toString(), r.toString());
    }

    static final String R_SCRIPT = """
            suppressMessages(library(survival))
            dir <- commandArgs(TRUE)[1]
            d <- read.csv(file.path(dir, "input.csv"), na.strings = "", stringsAsFactors = FALSE)
            num <- function(x) sprintf("%.17g", x)
            km <- function(fit, name) {
              g <- if (is.null(fit$strata)) rep("all", length(fit$time)) else
                rep(sub("^[^=]*=", "", names(fit$strata)), fit$strata)
              write.csv(data.frame(group = g, time = fit$time, at_risk = fit$n.risk, events = fit$n.event,
                censored = fit$n.censor, survival = num(fit$surv), std_err = num(fit$std.err),
                lower = num(fit$lower), upper = num(fit$upper)), file.path(dir, name), row.names = FALSE, quote = FALSE)
            }
            km(survfit(Surv(time, status) ~ 1, data = d), "km_all.csv")
            km(survfit(Surv(time, status) ~ gender, data = d), "km_gender.csv")
            km(survfit(Surv(time, status) ~ type, data = d), "km_type.csv")
            km(survfit(Surv(time, status) ~ gender, data = d, conf.type = "log-log"), "km_gender_loglog.csv")
            km(survfit(Surv(time, status) ~ type, data = d, conf.type = "log-log"), "km_type_loglog.csv")
            lr <- function(s, name) {
              e <- if (is.matrix(s$exp)) rowSums(s$exp) else s$exp
              df <- sum(e > 0) - 1
              write.csv(data.frame(chi_square = num(s$chisq), df = df,
                p_value = num(pchisq(s$chisq, df, lower.tail = FALSE))), file.path(dir, name), row.names = FALSE,
                quote = FALSE)
            }
            lr(survdiff(Surv(time, status) ~ gender, data = d), "lr_gender.csv")
            lr(survdiff(Surv(time, status) ~ type, data = d), "lr_type.csv")
            all <- summary(survfit(Surv(time, status) ~ 1, data = d))$table
            by <- summary(survfit(Surv(time, status) ~ gender, data = d))$table
            write.csv(data.frame(group = c("all", sub("^[^=]*=", "", rownames(by))),
              median = num(c(all["median"], by[, "median"]))), file.path(dir, "medians.csv"), row.names = FALSE,
              quote = FALSE)
            """;

    private static Path reference;

    /** R's files, made once for the class; skips the test where R is not there. */
    static synchronized Path reference() {
        RReference.requireSurvival();
        if (reference == null) {
            try {
                Path dir = Files.createTempDirectory("ispdb-r-");
                dir.toFile().deleteOnExit();
                Files.writeString(dir.resolve("input.csv"), data().rInput());
                RReference.run(dir, R_SCRIPT);
                reference = dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return reference;
    }

    private void setUp() {
        initSchema();
        Data data = data();
        load("customers", data.customers());
        load("predictions", data.predictions());
    }

    /** Rows by group, each row's fields after the group, in the order given. */
    private static Map<String, List<String[]>> byGroup(List<String[]> rows) {
        Map<String, List<String[]>> groups = new TreeMap<>();
        for (String[] row : rows) {
            groups.computeIfAbsent(row[0], g -> new ArrayList<>()).add(row);
        }
        return groups;
    }

    /** R's number, NaN for NA and Inf (ispdb leaves those empty). */
    private static double r(String text) {
        return text.equals("NA") || text.equals("Inf") ? Double.NaN : Double.parseDouble(text);
    }

    private static double ours(String text) {
        return text.isEmpty() ? Double.NaN : Double.parseDouble(text);
    }

    private void assertCurvesEqual(String rFile, String... options) {
        List<String> args = new ArrayList<>(List.of(options));
        args.addAll(List.of("--format", "csv"));
        String out = ok("survival", args.toArray(String[]::new)).out();
        assertTrue(out.startsWith("group,time,at_risk,events,censored,survival,std_err,lower_95,upper_95\n"), out);
        Map<String, List<String[]>> expected = byGroup(RReference.rows(reference().resolve(rFile)));
        Map<String, List<String[]>> actual = byGroup(csvRows(out));
        assertEquals(expected.keySet(), actual.keySet(), out);
        boolean reachesZero = false;
        for (String group : expected.keySet()) {
            List<String[]> e = expected.get(group);
            List<String[]> a = actual.get(group);
            assertEquals(e.size(), a.size(), () -> group + ": " + out);
            for (int i = 0; i < e.size(); i++) {
                String[] x = e.get(i);
                String[] y = a.get(i);
                String where = rFile + " " + group + " row " + i + ": R " + String.join(",", x) + " / ispdb "
                        + String.join(",", y);
                for (int col = 1; col <= 4; col++) {
                    assertEquals(Long.parseLong(x[col]), Long.parseLong(y[col]), where);
                }
                for (int col = 5; col <= 8; col++) {
                    assertTrue(close(r(x[col]), ours(y[col])), where);
                }
                reachesZero |= r(x[5]) == 0;
            }
        }
        if (options.length > 0 && options[1].equals("gender")) {
            assertTrue(reachesZero, "the fixture has a curve that reaches 0");
        }
    }

    @Test
    void curvesEqualRsSurvfit() {
        setUp();
        assertCurvesEqual("km_all.csv");
        assertCurvesEqual("km_gender.csv", "--by", "gender");
        assertCurvesEqual("km_type.csv", "--by", "customer-type");
    }

    /** lifelines' interval is R's log-log where 0 < S < 1; lifelines gives 1 and 1 at S = 1, and 0 and 0 at S = 0. */
    @Test
    void logLogIntervalIsLifelines() {
        setUp();
        for (String by : List.of("gender", "customer-type")) {
            String out = ok("survival", "--by", by, "--ci", "log-log", "--format", "csv").out();
            Map<String, List<String[]>> expected = byGroup(RReference.rows(reference()
                    .resolve(by.equals("gender") ? "km_gender_loglog.csv" : "km_type_loglog.csv")));
            Map<String, List<String[]>> actual = byGroup(csvRows(out));
            assertEquals(expected.keySet(), actual.keySet(), out);
            int inside = 0;
            for (String group : expected.keySet()) {
                for (int i = 0; i < expected.get(group).size(); i++) {
                    String[] x = expected.get(group).get(i);
                    String[] y = actual.get(group).get(i);
                    double s = ours(y[5]);
                    assertTrue(close(r(x[5]), s), group + " " + i);
                    if (s == 0) {
                        assertEquals(List.of(0.0, 0.0), List.of(ours(y[7]), ours(y[8])), group + " " + i);
                    } else if (s == 1) {
                        assertEquals(List.of(1.0, 1.0), List.of(ours(y[7]), ours(y[8])), group + " " + i);
                    } else {
                        assertTrue(close(r(x[7]), ours(y[7])) && close(r(x[8]), ours(y[8])),
                                group + " " + i + ": R " + String.join(",", x) + " / " + String.join(",", y));
                        inside++;
                    }
                }
            }
            assertTrue(inside > 20, out);
        }
    }

    @Test
    void logRankEqualsRsSurvdiff() {
        setUp();
        for (String by : List.of("gender", "customer-type")) {
            String[] e = RReference.rows(reference().resolve(by.equals("gender") ? "lr_gender.csv" : "lr_type.csv"))
                    .get(0);
            Cli.Run run = ok("survival", "--by", by, "--log-rank", "--format", "csv");
            List<String[]> rows = csvRows(run.out());
            assertTrue(run.out().startsWith("chi_square,df,p_value\n") && rows.size() == 1, run::toString);
            String[] a = rows.get(0);
            assertTrue(close(r(e[0]), ours(a[0])), () -> by + ": R " + String.join(",", e) + " / " + run.out());
            assertEquals(Integer.parseInt(e[1]), Integer.parseInt(a[1]), run::toString);
            assertTrue(close(r(e[2]), ours(a[2])), () -> by + ": R " + String.join(",", e) + " / " + run.out());
        }
    }

    @Test
    void medianSurvivalEqualsRs() {
        setUp();
        Map<String, Double> expected = new LinkedHashMap<>();
        for (String[] row : RReference.rows(reference().resolve("medians.csv"))) {
            expected.put(row[0], r(row[1]));
        }
        Map<String, List<SurvivalPoint>> curves = new TreeMap<>();
        for (String[] by : List.of(new String[0], new String[] {"--by", "gender"})) {
            List<String> args = new ArrayList<>(List.of(by));
            args.addAll(List.of("--format", "csv"));
            for (String[] f : csvRows(ok("survival", args.toArray(String[]::new)).out())) {
                curves.computeIfAbsent(f[0], g -> new ArrayList<>()).add(new SurvivalPoint(f[0], Long.parseLong(f[1]),
                        Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]), ours(f[5]), ours(f[6]),
                        ours(f[7]), ours(f[8])));
            }
        }
        assertEquals(expected.keySet(), curves.keySet());
        expected.forEach((group, median) -> assertTrue(close(median, KaplanMeier.median(curves.get(group))),
                group + ": R " + median + ", ispdb " + KaplanMeier.median(curves.get(group))));
    }

    @Test
    void tableFormatAndTheSmallestCases() throws Exception {
        initSchema();
        load("customers", """
                customer_id,age,gender,first_transaction_date,last_transaction_date,survival_time,event_observed
                1,30,Female,,,5,True
                2,30,Female,,,5,False
                3,30,Male,,,8,True
                4,30,,,,,
                """);
        assertEquals("""
                group   time  at_risk  events  censored  survival   std_err  lower_95  upper_95
                ------  ----  -------  ------  --------  --------  --------  --------  --------
                Female     5        2       1         1  0.500000  0.707107  0.125049  1.000000
                Male       8        1       1         0  0.000000
                (2 rows)
                """, ok("survival", "--by", "gender").out());
        // no groups (no predictions): no test
        assertEquals("chi_square,df,p_value\n0.0,0,\n",
                ok("survival", "--by", "customer-type", "--log-rank", "--format", "csv").out());
        // by hand: at time 5, 3 at risk (2 Female), 1 event; at 8, 1 at risk; chi-square (1/3)^2 / (2/9) = 0.5
        JsonNode test = new ObjectMapper().readTree(ok("survival", "--by", "gender", "--log-rank", "--format", "json")
                .out()).get(0);
        assertTrue(close(0.5, test.get("chi_square").doubleValue()), test::toString);
        assertEquals(1, test.get("df").intValue());
        assertTrue(close(0.4795001221869535, test.get("p_value").doubleValue()), test::toString);
    }

    @Test
    void badInputIsOneSentence() {
        initSchema();
        assertFails(run("survival", "--log-rank"), 2, "--log-rank compares groups: give --by gender or --by");
        assertFails(run("survival", "--by", "age"), 2, "'age' is not one of gender, customer-type");
        assertFails(run("survival", "--ci", "plain"), 2, "'plain' is not one of log, log-log");
    }
}
