package ispdb.cli;

import ispdb.analysis.PurchaseModel;

/**
 * --model's values: each model of repeat purchases (a {@link PurchaseModel.Kind} of the same name), and best, the
 * one with the lowest holdout MAE. A cli word, so PurchaseModel.Kind stays the models only; ModelChoiceTest holds
 * the two lists together.
 */
enum ModelChoice {
    BG_NBD, PARETO_NBD, MBG_NBD, BEST;

    /** The model, or null for best. */
    PurchaseModel.Kind kind() {
        return this == BEST ? null : PurchaseModel.Kind.valueOf(name());
    }

    static final class Converter extends WordConverter<ModelChoice> {
        Converter() {
            super(ModelChoice.class);
        }
    }
}
