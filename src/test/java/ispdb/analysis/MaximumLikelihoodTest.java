package ispdb.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ispdb.ExitCodes;
import ispdb.IspdbException;
import org.junit.jupiter.api.Test;

/** The fitting itself: a known maximum, a limit, and a likelihood that is nowhere finite. */
class MaximumLikelihoodTest {
    @Test
    void findsAKnownMaximumWithItsStandardErrors() {
        // 100 draws of a Poisson with mean 3.7 in all: the likelihood of lambda is 370 log(lambda) - 100 lambda,
        // the maximum 3.7, the standard error sqrt(3.7 / 100)
        MaximumLikelihood.Fit fit = MaximumLikelihood.fit("poisson", "a Poisson model", new String[] {"lambda"},
                new double[] {1}, p -> 370 * Math.log(p[0]) - 100 * p[0]);
        assertEquals(3.7, fit.estimates()[0], 1e-8);
        assertEquals(Math.sqrt(3.7 / 100), fit.standardErrors()[0], 1e-6);
        assertFalse(fit.limit());
    }

    @Test
    void aLikelihoodRisingForeverIsALimit() {
        MaximumLikelihood.Fit fit = MaximumLikelihood.fit("m", "a model", new String[] {"x"}, new double[] {1},
                p -> -1 / p[0]);
        assertTrue(fit.limit());
        assertTrue(fit.note("M").startsWith("note: M's likelihood has no finite maximum (x "), fit.note("M"));
    }

    @Test
    void aLikelihoodNowhereFiniteDoesNotConverge() {
        IspdbException e = assertThrows(IspdbException.class, () -> MaximumLikelihood.fit("m", "the M model",
                new String[] {"x", "y"}, new double[] {1, 1}, p -> Double.NaN));
        assertEquals(ExitCodes.REJECTED, e.exitCode());
        assertEquals("the fit of the M model did not converge (its log-likelihood is not finite anywhere the search "
                + "looked); nothing was written", e.getMessage());
    }
}
