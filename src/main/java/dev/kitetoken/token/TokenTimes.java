package dev.kitetoken.token;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** How times appear in Redis and on the API: ISO-8601 with an offset and whole seconds. */
public final class TokenTimes {

    /** Kite reports login_time in IST without a zone. */
    public static final ZoneId KITE_ZONE = ZoneId.of("Asia/Kolkata");

    private static final DateTimeFormatter ISO_SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");
    private static final DateTimeFormatter KITE_LOGIN_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

    private TokenTimes() {
    }

    public static String format(ZonedDateTime time) {
        return ISO_SECONDS.format(time);
    }

    /** Kite's {@code 2021-01-01 16:15:14} as {@code 2021-01-01T16:15:14+05:30}; anything else passes through. */
    public static String fromKiteLoginTime(String loginTime) {
        if (loginTime == null) {
            return null;
        }
        try {
            return format(LocalDateTime.parse(loginTime, KITE_LOGIN_TIME).atZone(KITE_ZONE));
        } catch (DateTimeParseException e) {
            return loginTime;
        }
    }
}
