package ispdb.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ispdb.testing.Cli;
import ispdb.IspdbException;
import ispdb.db.Database;
import ispdb.model.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite loads run with the connection's foreign-key checks off (ispdb checks every reference itself): the
 * connection goes back to the pool with them on, after a load that commits and after one that is refused.
 */
class ForeignKeyChecksTest {
    @TempDir
    Path tmp;

    @Test
    void theLoadsConnectionHasItsForeignKeyChecksBackOnAfterwards() throws Exception {
        String url = "jdbc:sqlite:" + tmp.resolve("fk.sqlite");
        Cli.Run init = new Cli().run("init-schema", "--url", url);
        assertEquals(0, init.exitCode(), init::toString);
        Path customers = Files.writeString(tmp.resolve("dim_customer.csv"), "customer_id,age,gender,first_transaction_date,last_transaction_date,survival_time,event_observed\n1,30,Male,,,,\n2,40,Female,,,,\n");
        Path methods = Files.writeString(tmp.resolve("dim_payment_method.csv"),
                "payment_method_id,payment_method_name\n0,Cash\n");
        Path transactions = Files.writeString(tmp.resolve("fact_transaction.csv"),
                "transaction_id,customer_id,payment_method_id,transaction_date,amount\n1,2,0,2024-01-02 03:04:05,9.5\n");
        Path bad = Files.writeString(tmp.resolve("bad.csv"), "customer_id,age,gender,first_transaction_date,last_transaction_date,survival_time,event_observed\n3,30,Male,,,,\n3,31,Male,,,,\n");
        LoadOptions options = LoadOptions.of("load-csv").build();
        try (Database db = Database.open(new Database.Settings(url, null, null, 5000), false)) {
            LoadResult result = Loader.load(db, List.of(CsvSource.of(Table.PAYMENT_METHOD, methods.toString()),
                    CsvSource.of(Table.CUSTOMER, customers.toString()),
                    CsvSource.of(Table.TRANSACTION, transactions.toString())), options);
            assertEquals(4, result.loaded());
            assertForeignKeysOn(db);
            assertThrows(IspdbException.class,
                    () -> Loader.load(db, List.of(CsvSource.of(Table.CUSTOMER, bad.toString())), options));
            assertForeignKeysOn(db);
        }
    }

    /** Both of the pool's connections (the load's among them) check foreign keys. */
    private static void assertForeignKeysOn(Database db) throws Exception {
        try (SqlSession a = db.session(ExecutorType.SIMPLE); SqlSession b = db.session(ExecutorType.SIMPLE)) {
            for (SqlSession s : List.of(a, b)) {
                try (Statement st = s.getConnection().createStatement();
                        ResultSet rs = st.executeQuery("PRAGMA foreign_keys")) {
                    rs.next();
                    assertEquals(1, rs.getInt(1));
                }
                try (Statement st = s.getConnection().createStatement();
                        ResultSet rs = st.executeQuery("PRAGMA cache_size")) {
                    rs.next();
                    assertEquals(-65536, rs.getInt(1));
                }
            }
        }
    }
}
