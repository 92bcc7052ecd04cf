package dev.kitetoken.calendar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The days the exchanges trade: the trading weekdays (KITE_TRADING_DAYS), minus the holidays, plus the
 * special sessions (a Muhurat session on a weekend). Exchanges publish their holidays each year, so both lists
 * are ISO dates, given inline or as a file with one date a line ({@code #} starts a comment).
 */
public final class TradingCalendar {

    private final Set<DayOfWeek> weekdays;
    private final Set<LocalDate> holidays;
    private final Set<LocalDate> specialSessions;

    private TradingCalendar(Set<DayOfWeek> weekdays, Set<LocalDate> holidays, Set<LocalDate> specialSessions) {
        this.weekdays = weekdays;
        this.holidays = holidays;
        this.specialSessions = specialSessions;
    }

    /**
     * Reads the three settings; an {@link IllegalArgumentException} names the variable to fix and never
     * echoes more than the offending entry.
     */
    public static TradingCalendar of(String tradingDays, List<String> holidays, List<String> specialSessions) {
        return new TradingCalendar(weekdays(tradingDays), dates("KITE_HOLIDAYS", holidays),
                dates("KITE_SPECIAL_SESSIONS", specialSessions));
    }

    public boolean isTradingDay(LocalDate day) {
        return specialSessions.contains(day) || (weekdays.contains(day.getDayOfWeek()) && !holidays.contains(day));
    }

    /** The first trading day on or after {@code day}, looking at most a year ahead. */
    public LocalDate nextTradingDay(LocalDate day) {
        for (LocalDate d = day; d.isBefore(day.plusYears(1)); d = d.plusDays(1)) {
            if (isTradingDay(d)) {
                return d;
            }
        }
        throw new IllegalStateException("no trading day within a year");
    }

    static Set<DayOfWeek> weekdays(String spec) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String part : spec.split(",")) {
            String range = part.strip().toUpperCase(Locale.ROOT);
            if (range.isEmpty()) {
                continue;
            }
            String[] ends = range.split("-", -1);
            if (ends.length > 2) {
                throw new IllegalArgumentException("KITE_TRADING_DAYS: '" + range + "' is not a day (MON) or a range (MON-FRI)");
            }
            DayOfWeek first = day(ends[0]);
            DayOfWeek last = ends.length == 2 ? day(ends[1]) : first;
            for (DayOfWeek d = first;; d = d.plus(1)) {
                days.add(d);
                if (d == last) {
                    break;
                }
            }
        }
        if (days.isEmpty()) {
            throw new IllegalArgumentException("KITE_TRADING_DAYS must name at least one day, e.g. MON-FRI");
        }
        return days;
    }

    private static DayOfWeek day(String abbreviation) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().startsWith(abbreviation.strip()) && abbreviation.strip().length() == 3) {
                return d;
            }
        }
        throw new IllegalArgumentException("KITE_TRADING_DAYS: '" + abbreviation.strip()
                + "' is not a day: use MON, TUE, WED, THU, FRI, SAT, SUN and ranges such as MON-FRI");
    }

    /** ISO dates, or one entry that is a file path (anything that is not a date) with a date a line. */
    static Set<LocalDate> dates(String variable, List<String> entries) {
        List<String> values = entries.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (values.size() == 1 && !values.get(0).matches("\\d{4}-.*")) {
            return datesInFile(variable, Path.of(values.get(0)));
        }
        Set<LocalDate> dates = new TreeSet<>();
        for (String value : values) {
            dates.add(date(variable, value, "entry '" + value + "'"));
        }
        return dates;
    }

    private static Set<LocalDate> datesInFile(String variable, Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(variable + ": cannot read " + file
                    + " (give ISO dates such as 2026-01-26, comma-separated, or a readable file with one a line)");
        }
        Set<LocalDate> dates = new TreeSet<>();
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).replaceFirst("#.*", "").strip();
            if (!line.isEmpty()) {
                try {
                    dates.add(LocalDate.parse(line));
                } catch (DateTimeParseException e) {
                    bad.add(Integer.toString(i + 1));
                }
            }
        }
        if (!bad.isEmpty()) {
            throw new IllegalArgumentException(variable + ": line " + String.join(", ", bad) + " of " + file
                    + " is not an ISO date such as 2026-01-26");
        }
        return dates;
    }

    private static LocalDate date(String variable, String value, String what) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(variable + ": " + what + " is not an ISO date such as 2026-01-26");
        }
    }
}
