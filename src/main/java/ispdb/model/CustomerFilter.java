package ispdb.model;

/**
 * What list-customers asks for. Null means "any". {@code sort} is one of a fixed set of names that the mapper
 * turns into a column, so no text of the user's ever becomes SQL.
 */
public record CustomerFilter(String gender, Integer minAge, Integer maxAge, Boolean churned, String type,
        Double minClv, Sort sort, boolean descending, int limit, int offset) {

    /** The orders list-customers offers; the names are the command line's. */
    public enum Sort {
        ID("id"), AGE("age"), CLV("clv"), LAST_TRANSACTION("last-transaction");

        private final String option;

        Sort(String option) {
            this.option = option;
        }

        public String option() {
            return option;
        }

        @Override
        public String toString() {
            return option;
        }
    }
}
