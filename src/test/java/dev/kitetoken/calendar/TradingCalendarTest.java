package dev.kitetoken.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TradingCalendarTest {

    private static final LocalDate MONDAY = LocalDate.parse("2026-11-30");
    private static final LocalDate SATURDAY = LocalDate.parse("2026-12-05");

    @Test
    void weekdaysTradeAndWeekendsDoNotByDefault() {
        TradingCalendar calendar = TradingCalendar.of("MON-FRI", List.of(), List.of());
        assertThat(calendar.isTradingDay(MONDAY)).isTrue();
        assertThat(calendar.isTradingDay(MONDAY.plusDays(4))).isTrue();
        assertThat(calendar.isTradingDay(SATURDAY)).isFalse();
        assertThat(calendar.isTradingDay(SATURDAY.plusDays(1))).isFalse();
    }

    @Test
    void holidaysCloseATradingDayAndSpecialSessionsOpenAWeekendDay() {
        TradingCalendar calendar = TradingCalendar.of("MON-FRI", List.of("2026-12-01", " 2026-12-02 "), List.of("2026-12-05"));
        assertThat(calendar.isTradingDay(LocalDate.parse("2026-12-01"))).isFalse();
        assertThat(calendar.isTradingDay(LocalDate.parse("2026-12-02"))).isFalse();
        assertThat(calendar.isTradingDay(SATURDAY)).isTrue();
        assertThat(calendar.nextTradingDay(LocalDate.parse("2026-12-01"))).isEqualTo("2026-12-03");
    }

    @Test
    void daysAndRangesMayBeCombinedAndWrapAroundTheWeek() {
        assertThat(TradingCalendar.weekdays("mon-thu, SAT")).hasSize(5).doesNotContain(java.time.DayOfWeek.FRIDAY);
        assertThat(TradingCalendar.weekdays("SAT-MON")).containsExactlyInAnyOrder(java.time.DayOfWeek.SATURDAY,
                java.time.DayOfWeek.SUNDAY, java.time.DayOfWeek.MONDAY);
    }

    @Test
    void aFileListsOneDateALineWithComments(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("holidays.txt");
        Files.writeString(file, "# NSE 2026\n2026-01-26  # Republic Day\n\n2026-03-03\n");
        TradingCalendar calendar = TradingCalendar.of("MON-FRI", List.of(file.toString()), List.of());
        assertThat(calendar.isTradingDay(LocalDate.parse("2026-01-26"))).isFalse();
        assertThat(calendar.isTradingDay(LocalDate.parse("2026-03-03"))).isFalse();
        assertThat(calendar.isTradingDay(LocalDate.parse("2026-03-04"))).isTrue();
    }

    @Test
    void aWrongValueNamesTheVariableAndWhatIsWrong(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> TradingCalendar.of("MON-FRY", List.of(), List.of()))
                .hasMessageStartingWith("KITE_TRADING_DAYS: 'FRY' is not a day");
        assertThatThrownBy(() -> TradingCalendar.of(" , ", List.of(), List.of()))
                .hasMessage("KITE_TRADING_DAYS must name at least one day, e.g. MON-FRI");
        assertThatThrownBy(() -> TradingCalendar.of("MON-FRI", List.of("2026-12-01", "2026-13-01"), List.of()))
                .hasMessage("KITE_HOLIDAYS: entry '2026-13-01' is not an ISO date such as 2026-01-26");
        assertThatThrownBy(() -> TradingCalendar.of("MON-FRI", List.of(), List.of(dir.resolve("missing.txt").toString())))
                .hasMessageStartingWith("KITE_SPECIAL_SESSIONS: cannot read ");
        Path file = dir.resolve("bad.txt");
        Files.writeString(file, "2026-01-26\n26/01/2026\n");
        assertThatThrownBy(() -> TradingCalendar.of("MON-FRI", List.of(file.toString()), List.of()))
                .hasMessageStartingWith("KITE_HOLIDAYS: line 2 of ");
    }
}
