package ispdb.analysis;

import java.util.List;

/**
 * A fitted model of repeat purchases (BG/NBD, Pareto/NBD, MBG/NBD): what predict, the holdout check and the
 * report need of it. Times are in weeks.
 */
public interface PurchaseModel {
    /** The probability that a customer with this history is still alive at the end of observation. */
    double pAlive(PurchaseHistory h);

    /**
     * The expected purchases of a customer with this history in the next {@code weeks[i]} weeks after the end of
     * observation, for each i (lifetimes' {@code conditional_expected_number_of_purchases_up_to_time}).
     */
    double[] expectedPurchases(double[] weeks, PurchaseHistory h);

    /**
     * The expected repeat purchases of a customer in the first {@code weeks} weeks after the first purchase
     * (lifetimes' {@code expected_number_of_purchases_up_to_time}): the unconditional expectation the tracking
     * curve sums.
     */
    double expectedPurchasesUpTo(double weeks);

    /** The models of repeat purchases predict fits, by their {@code --model} names. */
    enum Kind {
        /** Fader, Hardie &amp; Lee 2005. */
        BG_NBD("bg-nbd", BgNbd.MODEL, "BG/NBD"),
        /** Schmittlein, Morrison &amp; Colombo 1987; the likelihood as in Fader, Hardie &amp; Lee 2005's note. */
        PARETO_NBD("pareto-nbd", ParetoNbd.MODEL, "Pareto/NBD"),
        /** Batislam, Denizel &amp; Filiztekin 2007, as lifetimes' ModifiedBetaGeoFitter. */
        MBG_NBD("mbg-nbd", MbgNbd.MODEL, "MBG/NBD");

        private final String option;
        private final String model;
        private final String title;

        Kind(String option, String model, String title) {
            this.option = option;
            this.model = model;
            this.title = title;
        }

        /** The name on the command line: bg-nbd, pareto-nbd, mbg-nbd. */
        public String option() {
            return option;
        }

        /** The name in --params' model column: bgnbd, paretonbd, mbgnbd. */
        public String model() {
            return model;
        }

        /** The name in sentences: BG/NBD, Pareto/NBD, MBG/NBD. */
        public String title() {
            return title;
        }

        /** Fits this model by maximum likelihood on the histories. */
        MaximumLikelihood.Fit fit(List<PurchaseHistory> histories) {
            return switch (this) {
                case BG_NBD -> BgNbd.fit(histories);
                case PARETO_NBD -> ParetoNbd.fit(histories);
                case MBG_NBD -> MbgNbd.fit(histories);
            };
        }

        /** The fitted model. */
        PurchaseModel of(MaximumLikelihood.Fit fit) {
            return switch (this) {
                case BG_NBD -> BgNbd.of(fit);
                case PARETO_NBD -> ParetoNbd.of(fit);
                case MBG_NBD -> MbgNbd.of(fit);
            };
        }
    }
}
