package ispdb.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ispdb.model.ClvEstimate;
import ispdb.model.RowRules;
import ispdb.model.Table;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * predict --record's rows: the values clv_prediction takes, each row named by its line in the estimates' CSV form,
 * and the journal's size and SHA-256 of that form (what the journal recorded when predict went through CSV text).
 */
class PredictionRowsTest {
    private static ClvEstimate estimate(long customer, double clv, String type) {
        return new ClvEstimate(customer, 1, 2, 3, 4, 0.5, 1.5, 40, clv, type);
    }

    @Test
    void givesEachEstimateAsAPredictionRowAndFingerprintsTheirCsvForm() throws Exception {
        PredictionRows rows = new PredictionRows(List.of(estimate(7, 1830.25, "Star"),
                estimate(9, 1.5e-5, "Lost Cause")), "predict --months 12 --discount-rate 0.01");
        rows.open();
        RowSource.Row first = rows.next();
        assertEquals(2, first.line);
        assertNull(first.problem);
        assertArrayEquals(new Object[] {null, 7L, 1830.25, "Star", null, null, null}, first.values);
        assertEquals(3, rows.next().line);
        assertNull(rows.next());
        String csv = "customer_id,clv,predicted_customer_type,is_campaign1_success,is_campaign2_success\n"
                + "7,1830.25,Star,,\n9,1.5E-5,Lost Cause,,\n";
        byte[] bytes = csv.getBytes(StandardCharsets.UTF_8);
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), rows.finish());
        assertEquals(bytes.length, rows.journalSize());
        assertEquals(Table.PREDICTION, rows.table());
    }

    @Test
    void aClvThatIsNotANumberIsABadRowAsInACsvFile() throws Exception {
        PredictionRows rows = new PredictionRows(List.of(estimate(7, Double.NaN, "Star")), "predict");
        rows.open();
        RowSource.Row row = rows.next();
        assertEquals("clv", row.column);
        assertEquals("not a number: 'NaN'", row.problem);
    }

    @Test
    void aPredictionWithoutPredictedAtIsDatedByTheLoad() {
        LocalDateTime now = LocalDateTime.of(2026, 12, 6, 23, 0);
        Object[] values = {null, 7L, 1.0, "Star", null, null, null};
        RowRules.fillDefaults(Table.PREDICTION, values, now);
        assertEquals(now, values[6]);
        LocalDateTime given = now.minusDays(1);
        values[6] = given;
        RowRules.fillDefaults(Table.PREDICTION, values, now);
        assertEquals(given, values[6]);
    }
}
