package ispdb.model;

/** A row of predict --params: a fitted parameter, its standard error (NaN if unknown) and its model's log-likelihood. */
public record ModelParameter(String model, String parameter, double estimate, double standardError,
        double logLikelihood) {
}
