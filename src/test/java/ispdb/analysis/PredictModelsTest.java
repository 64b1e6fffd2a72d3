package ispdb.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.testing.Cli;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * predict --model pareto-nbd and --model mbg-nbd on the CDNOW sample as of 1997-09-30: --params gives the fit of
 * {@link PurchaseModelsTest} (the published Pareto/NBD estimates, lifetimes' MBG/NBD ones) with standard errors and
 * log-likelihood, and Gamma-Gamma's published estimates beside it; the listing's p_alive, expected_purchases and clv
 * are the models' closed forms at those estimates; --record appends the predictions with a journal entry that names
 * the model. The same data gives the same bytes run after run.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("ispdb.testing.TestDatabase#kinds")
class PredictModelsTest extends AnalysisTestBase {
    @Test
    void paretoNbdAndMbgNbdPredictAndRecord() {
        PredictTest.loadCdnow(cli, db.url());
        List<PurchaseHistory> cdnow = PurchaseModelsTest.cdnow();
        for (PurchaseModel.Kind model : List.of(PurchaseModel.Kind.PARETO_NBD, PurchaseModel.Kind.MBG_NBD)) {
            MaximumLikelihood.Fit fit = model.fit(cdnow);
            Cli.Run params = ok("predict", "--model", model.option(), "--as-of", PredictTest.AS_OF, "--params",
                    "--format", "csv");
            // the same data, the same bytes
            assertEquals(params.out(), ok("predict", "--model", model.option(), "--as-of", PredictTest.AS_OF,
                    "--params", "--format", "csv").out());
            List<String[]> rows = csvRows(params.out());
            assertEquals(7, rows.size(), params::toString);
            Map<String, Double> p = new HashMap<>();
            for (int i = 0; i < 7; i++) {
                String[] row = rows.get(i);
                p.put(row[1], Double.parseDouble(row[2]));
                if (i < 4) {
                    assertEquals(List.of(model.model(), fit.names()[i]), List.of(row[0], row[1]), params::toString);
                    assertTrue(close(fit.estimates()[i], Double.parseDouble(row[2])), params::toString);
                    assertTrue(close(fit.standardErrors()[i], Double.parseDouble(row[3])), params::toString);
                    assertTrue(close(fit.logLikelihood(), Double.parseDouble(row[4])), params::toString);
                } else {
                    assertEquals("gamma-gamma", row[0], params::toString);
                }
            }
            assertEquals(6.25, p.get("p"), 0.005);
            PurchaseModel purchases = model.of(fit);
            GammaGamma spend = new GammaGamma(p.get("p"), p.get("q"), p.get("v"));

            Cli.Run listing = ok("predict", "--model", model.option(), "--as-of", PredictTest.AS_OF, "--format",
                    "csv");
            Map<Long, String[]> byCustomer = new HashMap<>();
            for (String[] r : csvRows(listing.out())) {
                byCustomer.put(Long.parseLong(r[0]), r);
            }
            assertEquals(2357, byCustomer.size());
            for (long id : new long[] {1, 2, 3, 6, 18, 1516, 2357}) {
                String[] r = byCustomer.get(id);
                PurchaseHistory h = cdnow.get((int) id - 1);
                assertEquals(h.frequency(), Long.parseLong(r[1]));
                double[] weeks = new double[12];
                for (int i = 0; i < 12; i++) {
                    weeks[i] = (i + 1) * ClvModel.WEEKS_PER_MONTH;
                }
                double[] by = purchases.expectedPurchases(weeks, h);
                double average = spend.expectedAverageValue(h.frequency(), Double.parseDouble(r[4]));
                double clv = 0;
                for (int i = 0; i < 12; i++) {
                    clv += average * (by[i] - (i == 0 ? 0 : by[i - 1])) / Math.pow(1.01, i + 1);
                }
                String what = model.option() + " customer " + id + ": " + String.join(",", r);
                assertTrue(close(purchases.pAlive(h), Double.parseDouble(r[5])), what);
                assertTrue(close(by[11], Double.parseDouble(r[6])), what);
                assertTrue(close(clv, Double.parseDouble(r[8])), what);
            }

            long before = db.count("SELECT COUNT(*) FROM clv_prediction");
            Cli.Run record = ok("predict", "--model", model.option(), "--as-of", PredictTest.AS_OF, "--record");
            assertTrue(record.out().startsWith("recorded 2357 predictions (Star "), record::toString);
            assertEquals(before + 2357, db.count("SELECT COUNT(*) FROM clv_prediction"));
            String[] entry = csvRows(ok("history", "--format", "csv").out()).get(0);
            assertEquals(List.of("predict", "predict --model " + model.option()
                    + " --as-of '1997-09-30 00:00:00.000000' --months 12 --discount-rate 0.01", "2357"),
                    List.of(entry[1], entry[3], entry[6]));
        }
    }
}
