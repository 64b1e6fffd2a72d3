package ispdb.load;

/** Exports for the load-csv tests, in the legacy Python tool's format (see {@link ispdb.testing.Fixtures}). */
final class LoadCsvFixtures {
    static final String CUSTOMER_HEADER =
            "customer_id,age,gender,first_transaction_date,last_transaction_date,survival_time,event_observed\n";
    static final String TRANSACTION_HEADER = "transaction_id,customer_id,payment_method_id,transaction_date,amount\n";

    /**
     * Transactions as the legacy tool exported them, some (lines 3, 6 and 7) with payment_method_id 5, which its
     * dim_payment_method.csv (ids 0-4) does not have.
     */
    static final String LEGACY_TRANSACTIONS_WITH_METHOD_5 = """
            transaction_id,customer_id,payment_method_id,transaction_date,amount
            1,0,2,2022-09-06 17:31:34.590844,201.98
            2,1,5,2021-10-21 18:35:07.609632,387.39
            3,2,3,2023-04-20 20:11:06.459957,16.91
            4,3,4,2023-10-03 16:47:59.754367,61.82
            5,0,5,2020-06-23 23:36:30.665737,311.51
            6,1,5,2021-05-08 15:54:52.791820,12.00
            7,2,0,2022-06-21 16:44:48.913227,99.99
            """;

    private LoadCsvFixtures() {
    }
}
