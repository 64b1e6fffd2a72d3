package ispdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ispdb.analysis.PurchaseModel;
import org.junit.jupiter.api.Test;

/** --model's words are the models' own (PurchaseModel.Kind's option names), and best. */
class ModelChoiceTest {
    @Test
    void everyModelIsAChoiceOfItsOwnWordAndBestIsTheOneMore() {
        ModelChoice.Converter words = new ModelChoice.Converter();
        for (PurchaseModel.Kind kind : PurchaseModel.Kind.values()) {
            ModelChoice choice = words.convert(kind.option());
            assertEquals(kind, choice.kind());
        }
        assertEquals(PurchaseModel.Kind.values().length + 1, ModelChoice.values().length);
        assertNull(words.convert("best").kind());
    }
}
