package ispdb.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The stored text form of a timestamp, and the forms CSV files may use. */
class TimestampsTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            2020-06-23                 | 2020-06-23 00:00:00.000000
            2020-06-23 23:36:30        | 2020-06-23 23:36:30.000000
            2020-06-23T23:36:30        | 2020-06-23 23:36:30.000000
            2020-06-23 23:36:30.6      | 2020-06-23 23:36:30.600000
            2020-06-23T23:36:30.66     | 2020-06-23 23:36:30.660000
            2020-06-23 23:36:30.665737 | 2020-06-23 23:36:30.665737
            2020-06-23 23:36:30.000001 | 2020-06-23 23:36:30.000001
            2000-02-29T12:00:00.5      | 2000-02-29 12:00:00.500000
            0001-01-01                 | 0001-01-01 00:00:00.000000
            9999-12-31 23:59:59.999999 | 9999-12-31 23:59:59.999999
            """)
    void readsEveryFormAndWritesTheStoredForm(String text, String stored) {
        assertEquals(stored, Timestamps.format(Timestamps.parse(text)));
    }

    @Test
    void readsMicroseconds() {
        assertEquals(LocalDateTime.of(2020, 6, 23, 23, 36, 30, 665_737_000),
                Timestamps.parse("2020-06-23 23:36:30.665737"));
        assertEquals(LocalDateTime.of(2020, 6, 23, 23, 36, 30, 50_000_000), Timestamps.parse("2020-06-23T23:36:30.05"));
    }

    @Test
    void writesSixFractionDigitsDroppingNanoseconds() {
        assertEquals("2021-05-08 15:54:52.791820",
                Timestamps.format(LocalDateTime.of(2021, 5, 8, 15, 54, 52, 791_820_999)));
        assertEquals("0999-01-02 03:04:05.000000", Timestamps.format(LocalDateTime.of(999, 1, 2, 3, 4, 5)));
    }

    @Test
    void aYearOutsideFourDigitsCannotBeWritten() {
        assertThrows(DateTimeException.class, () -> Timestamps.format(LocalDateTime.of(10000, 1, 1, 0, 0)));
        assertThrows(DateTimeException.class, () -> Timestamps.format(LocalDateTime.of(-1, 1, 1, 0, 0)));
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "2020", "2020-6-23", "23.06.2020", "2020/06/23", "2020-06-23 ", "2020-06-23x23:36:30",
        "2020-06-23 23:36", "2020-06-23 23-36-30", "2020-06-23 23:36:30.", "2020-06-23 23:36:30,5",
        "2020-06-23 23:36:30.5x", "20x0-06-23", "+020-06-23", "2020-06-23 23:36:30+01:00", "yesterday"})
    void aValueOfAnotherShapeIsNotADate(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Timestamps.parse(text));
        assertEquals("not a date: '" + text + "' (expected YYYY-MM-DD, YYYY-MM-DD HH:MM:SS or YYYY-MM-DDTHH:MM:SS, "
                + "optionally with .ffffff)", e.getMessage());
    }

    @Test
    void moreThanSixFractionDigitsAreRefusedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Timestamps.parse("2020-06-23 23:36:30.6657371"));
        assertEquals("more than six fraction digits in '2020-06-23 23:36:30.6657371' (ispdb keeps microseconds)",
                e.getMessage());
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"2021-02-29", "2020-13-01", "2020-00-10", "2020-04-31", "2020-06-23 24:00:00",
        "2020-06-23 23:60:00", "2020-06-23T23:59:60"})
    void aDateThatDoesNotExistIsNamedSo(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Timestamps.parse(text));
        assertTrue(e.getMessage().startsWith("not a real date and time: '" + text + "' ("), e.getMessage());
    }

    @Test
    void aLongBadValueIsShortenedInTheMessage() {
        String text = "x".repeat(100);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Timestamps.parse(text));
        assertTrue(e.getMessage().startsWith("not a date: '" + "x".repeat(37) + "...' "), e.getMessage());
    }
}
