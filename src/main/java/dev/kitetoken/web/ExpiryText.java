package dev.kitetoken.web;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * An expiry as a person reads it on a page: "06:00 IST tomorrow" and "22 h 58 min left"; {@link #when} for
 * any other time. The API keeps ISO-8601; only pages use this.
 */
public record ExpiryText(String until, String left) {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm zzz", Locale.ENGLISH);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM", Locale.ENGLISH);

    /** {@code expiresAt} is ISO-8601 with an offset, as stored; it is shown in {@code zone}. */
    public static ExpiryText of(String expiresAt, Instant now, ZoneId zone) {
        ZonedDateTime expiry = OffsetDateTime.parse(expiresAt).atZoneSameInstant(zone);
        return new ExpiryText(when(expiresAt, now, zone), left(Duration.between(now, expiry.toInstant())));
    }

    /** Any time as a person reads it, relative to now: "06:00 IST tomorrow", "09:02 IST today", "on Wed 2 Dec". */
    public static String when(String isoTime, Instant now, ZoneId zone) {
        ZonedDateTime time = OffsetDateTime.parse(isoTime).atZoneSameInstant(zone);
        LocalDate today = now.atZone(zone).toLocalDate();
        LocalDate day = time.toLocalDate();
        String relative = day.equals(today) ? "today"
                : day.equals(today.plusDays(1)) ? "tomorrow"
                : day.equals(today.minusDays(1)) ? "yesterday"
                : "on " + DAY.format(time);
        return TIME.format(time) + " " + relative;
    }

    /** The text on its own line: "until 06:00 IST tomorrow — 22 h 58 min left". */
    @Override
    public String toString() {
        return "until " + until + " \u2014 " + left;
    }

    static String left(Duration remaining) {
        if (remaining.isNegative() || remaining.isZero()) {
            return "expired";
        }
        long minutes = remaining.toMinutes();
        if (minutes < 1) {
            return "less than a minute left";
        }
        return (minutes >= 60 ? minutes / 60 + " h " : "") + minutes % 60 + " min left";
    }
}
