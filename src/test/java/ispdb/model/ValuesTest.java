package ispdb.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One CSV field read as a value of its column's type, and the phrase that says what is wrong with a bad one. */
class ValuesTest {
    static final Column REQUIRED_ID = new Column("customer_id", ColumnType.ID, true, false, null, Long.MIN_VALUE, Long.MAX_VALUE);
    static final Column AGE = new Column("age", ColumnType.INTEGER, false, false, null, Long.MIN_VALUE, Long.MAX_VALUE);
    static final Column CLV = new Column("clv", ColumnType.REAL, true, false, null, Long.MIN_VALUE, Long.MAX_VALUE);
    static final Column GENDER = new Column("gender", ColumnType.TEXT, false, false, null, Long.MIN_VALUE, Long.MAX_VALUE);
    static final Column DATE = new Column("first_transaction_date", ColumnType.TIMESTAMP, false, false, null, Long.MIN_VALUE, Long.MAX_VALUE);
    static final Column CHURNED = new Column("event_observed", ColumnType.BOOLEAN, false, false, null, Long.MIN_VALUE, Long.MAX_VALUE);

    static String problem(Column column, String field) {
        return assertThrows(IllegalArgumentException.class, () -> Values.parse(column, field)).getMessage();
    }

    @Test
    void eachTypeReadsItsValue() {
        assertEquals(9_007_199_254_740_993L, Values.parse(REQUIRED_ID, "9007199254740993"));
        assertEquals(-3, Values.parse(AGE, "-3"));
        assertEquals(201.98, Values.parse(CLV, "201.98"));
        assertEquals(1000.0, Values.parse(CLV, "1e3"));
        assertEquals(-0.5, Values.parse(CLV, "-.5"));
        assertEquals("Female, \"quoted\"", Values.parse(GENDER, "Female, \"quoted\""));
        assertEquals(LocalDateTime.of(2020, 6, 23, 23, 36, 30, 665_737_000),
                Values.parse(DATE, "2020-06-23 23:36:30.665737"));
        assertEquals(Boolean.TRUE, Values.parse(CHURNED, "True"));
    }

    @Test
    void anEmptyFieldIsNullWhereTheColumnAllowsIt() {
        assertNull(Values.parse(AGE, ""));
        assertNull(Values.parse(GENDER, ""));
        assertNull(Values.parse(DATE, ""));
        assertNull(Values.parse(CHURNED, ""));
        assertEquals("a value is required", problem(REQUIRED_ID, ""));
        assertEquals("a value is required", problem(CLV, ""));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"true", "TRUE", "True", "tRuE", "1", "yes", "YES", "Yes"})
    void trueForms(String field) {
        assertEquals(Boolean.TRUE, Values.parseBoolean(field));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"false", "FALSE", "False", "0", "no", "NO", "nO"})
    void falseForms(String field) {
        assertEquals(Boolean.FALSE, Values.parseBoolean(field));
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"t", "f", "y", "n", "2", "-1", "on", "off", " true", "true "})
    void otherBooleanFormsAreBad(String field) {
        assertEquals("not true/false, 1/0 or yes/no: '" + field + "'", problem(CHURNED, field));
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"1.5", "1e3", "0x10", " 7", "7 ", "seven", "1,000"})
    void aWholeNumberColumnRefusesOtherText(String field) {
        assertEquals("not a whole number: '" + field + "'", problem(REQUIRED_ID, field));
        assertEquals("not a whole number: '" + field + "'", problem(AGE, field));
    }

    @Test
    void anIntegerBeyondIntIsOutOfRange() {
        assertEquals(Integer.MAX_VALUE, Values.parse(AGE, "2147483647"));
        assertEquals("out of range: 2147483648 (age is -2147483648 to 2147483647)", problem(AGE, "2147483648"));
        assertEquals("out of range: -2147483649 (age is -2147483648 to 2147483647)", problem(AGE, "-2147483649"));
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"NaN", "Infinity", "-Infinity", "1d", "1f", "0x1p3", "12,50", "1e999", "€5", "five"})
    void aRealColumnTakesOnlyPlainFiniteDecimals(String field) {
        assertEquals("not a number: '" + field + "'", problem(CLV, field));
    }

    @Test
    void textWithANulCharacterIsBad() {
        assertEquals("contains a NUL character", problem(GENDER, "Fe\0male"));
    }

    @Test
    void badDatesSayWhy() {
        assertEquals("not a date: '2020/06/23' (expected YYYY-MM-DD, YYYY-MM-DD HH:MM:SS or YYYY-MM-DDTHH:MM:SS, "
                + "optionally with .ffffff)", problem(DATE, "2020/06/23"));
    }

    @Test
    void shortenKeepsMessagesShortAndPrintable() {
        assertEquals("abc", Values.shorten("abc"));
        assertEquals("x".repeat(40), Values.shorten("x".repeat(40)));
        assertEquals("x".repeat(37) + "...", Values.shorten("x".repeat(41)));
        assertEquals("a?b?c", Values.shorten("a\tb\u0007c"));
        assertEquals("not a number: '" + "9".repeat(37) + "...'", problem(CLV, "9".repeat(60) + "z"));
    }

    @Test
    void theSchemasColumnsKeepTheirDomains() {
        Column age = Table.CUSTOMER.columns().get(1);
        Column survival = Table.CUSTOMER.columns().get(5);
        assertEquals(130, Values.parse(age, "130"));
        assertEquals(0, Values.parse(age, "0"));
        assertEquals("out of range: 131 (age is 0 to 130)", problem(age, "131"));
        assertEquals("out of range: -1 (age is 0 to 130)", problem(age, "-1"));
        assertEquals("out of range: 99999999999999999999 (age is 0 to 130)", problem(age, "99999999999999999999"));
        assertEquals("out of range: -3 (survival_time is 0 or more)", problem(survival, "-3"));
        assertEquals("out of range: 99999999999999999999 is beyond a 64-bit whole number "
                + "(-9223372036854775808 to 9223372036854775807)", problem(REQUIRED_ID, "99999999999999999999"));
    }
}
