package dev.kitetoken.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.kitetoken.calendar.TradingCalendar;

class ReminderScheduleTest {

    private static final ZoneId IST = ZoneId.of("Asia/Kolkata");
    private final ReminderSchedule schedule = new ReminderSchedule(
            TradingCalendar.of("MON-FRI", List.of("2026-12-01"), List.of()),
            LocalTime.of(8, 30), Duration.ofMinutes(15), LocalTime.of(9, 15), IST);

    @Test
    void dueAtTheTimeAndEachRepeatUntilTheMarketOpensOnATradingDay() {
        assertThat(schedule.due(at("2026-11-30T08:29:59"))).isEmpty();
        assertThat(schedule.due(at("2026-11-30T08:30:00"))).contains(ist("2026-11-30T08:30"));
        assertThat(schedule.due(at("2026-11-30T08:31:30"))).contains(ist("2026-11-30T08:30"));
        assertThat(schedule.due(at("2026-11-30T08:45:10"))).contains(ist("2026-11-30T08:45"));
        assertThat(schedule.due(at("2026-11-30T09:00:00"))).contains(ist("2026-11-30T09:00"));
        assertThat(schedule.due(at("2026-11-30T09:15:00"))).isEmpty();
    }

    @Test
    void aReminderMoreThanTwoMinutesLateIsNotDue() {
        assertThat(schedule.due(at("2026-11-30T08:32:00"))).isEmpty();
        assertThat(schedule.due(at("2026-11-30T08:44:59"))).isEmpty();
    }

    @Test
    void neverDueOnAWeekendOrAHoliday() {
        assertThat(schedule.due(at("2026-12-05T08:30:00"))).isEmpty();
        assertThat(schedule.due(at("2026-12-01T08:30:00"))).isEmpty();
    }

    @Test
    void theNextReminderIsTheNextTimeOfTodayOrTheNextTradingMorning() {
        assertThat(schedule.next(at("2026-11-30T07:00:00"))).isEqualTo(ist("2026-11-30T08:30"));
        assertThat(schedule.next(at("2026-11-30T08:30:00"))).isEqualTo(ist("2026-11-30T08:45"));
        assertThat(schedule.next(at("2026-11-30T09:05:00"))).as("the last before the open").isEqualTo(ist("2026-12-02T08:30"));
        assertThat(schedule.next(at("2026-11-30T15:00:00"))).as("Tuesday is a holiday").isEqualTo(ist("2026-12-02T08:30"));
        assertThat(schedule.next(at("2026-12-04T10:00:00"))).as("Friday to Monday").isEqualTo(ist("2026-12-07T08:30"));
    }

    private static Instant at(String istTime) {
        return LocalDateTime.parse(istTime).atZone(IST).toInstant();
    }

    private static ZonedDateTime ist(String istTime) {
        return LocalDateTime.parse(istTime).atZone(IST);
    }
}
