package dev.kitetoken.notify;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

import dev.kitetoken.calendar.TradingCalendar;

/**
 * When the "no session" reminder is due: on a trading day at KITE_REMIND_AT, then every KITE_REMIND_EVERY
 * until KITE_MARKET_OPEN, all in KITE_EXPIRY_ZONE. Pure time arithmetic; whether a session exists is asked
 * elsewhere.
 */
public final class ReminderSchedule {

    /** A reminder is sent within this long after its time, not later: a login meanwhile makes a late one wrong. */
    private static final Duration MAX_LATENESS = Duration.ofMinutes(2);

    private final TradingCalendar calendar;
    private final LocalTime remindAt;
    private final Duration every;
    private final LocalTime marketOpen;
    private final ZoneId zone;
    private final Duration lateness;

    public ReminderSchedule(TradingCalendar calendar, LocalTime remindAt, Duration every, LocalTime marketOpen, ZoneId zone) {
        this.calendar = calendar;
        this.remindAt = remindAt;
        this.every = every;
        this.marketOpen = marketOpen;
        this.zone = zone;
        this.lateness = every.compareTo(MAX_LATENESS) < 0 ? every : MAX_LATENESS;
    }

    /** The reminder time that is due now, if one is: it names the occasion, so each is sent once. */
    public Optional<ZonedDateTime> due(Instant now) {
        ZonedDateTime local = now.atZone(zone);
        LocalTime time = local.toLocalTime();
        if (!calendar.isTradingDay(local.toLocalDate()) || time.isBefore(remindAt) || !time.isBefore(marketOpen)) {
            return Optional.empty();
        }
        ZonedDateTime slot = slot(local.toLocalDate(), Duration.between(remindAt, time).toNanos() / every.toNanos());
        return Duration.between(slot, local).compareTo(lateness) < 0 ? Optional.of(slot) : Optional.empty();
    }

    /** The next reminder time after {@code now}, should no one log in before it. */
    public ZonedDateTime next(Instant now) {
        ZonedDateTime local = now.atZone(zone);
        LocalDate today = local.toLocalDate();
        LocalTime time = local.toLocalTime();
        if (calendar.isTradingDay(today) && time.isBefore(marketOpen)) {
            long index = time.isBefore(remindAt) ? 0 : Duration.between(remindAt, time).toNanos() / every.toNanos() + 1;
            ZonedDateTime slot = slot(today, index);
            if (slot.toLocalDate().equals(today) && slot.toLocalTime().isBefore(marketOpen)) {
                return slot;
            }
        }
        return slot(calendar.nextTradingDay(today.plusDays(1)), 0);
    }

    /** Whether the day {@code now} falls on, in the zone, is a trading day. */
    public boolean isTradingDay(Instant now) {
        return calendar.isTradingDay(now.atZone(zone).toLocalDate());
    }

    /** Seconds from {@code now} until the market opens today (KITE_MARKET_OPEN in the zone); negative once it has. */
    public long secondsUntilMarketOpen(Instant now) {
        ZonedDateTime local = now.atZone(zone);
        return Duration.between(local, local.toLocalDate().atTime(marketOpen).atZone(zone)).toSeconds();
    }

    public LocalTime marketOpen() {
        return marketOpen;
    }

    private ZonedDateTime slot(LocalDate day, long index) {
        return day.atTime(remindAt).plus(every.multipliedBy(index)).atZone(zone);
    }
}
