package dev.kitetoken.notify;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import dev.kitetoken.events.TokenEvent;
import dev.kitetoken.web.ExpiryText;

/** The words of each notice: short, with the login link, and a token named only by its token_id. */
final class Notices {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm zzz", Locale.ENGLISH);

    private Notices() {
    }

    static Notice reminder(ZonedDateTime at, String loginUrl, ZonedDateTime marketOpen) {
        String text = "No Kite session \u2014 log in: " + loginUrl + " (the market opens at " + TIME.format(marketOpen) + ")";
        return new Notice("remind:" + at.toLocalDateTime(), text,
                new Notice.Event(Notice.REMINDER, Notice.NO_SESSION, at.toOffsetDateTime().toString(), null, null, loginUrl));
    }

    static Notice ended(TokenEvent event, String loginUrl, Instant now, ZoneId zone) {
        String text = "Kite session ended " + ExpiryText.when(event.at(), now, zone) + " (" + because(event.reason())
                + ") \u2014 log in again: " + loginUrl;
        return new Notice(event.type() + ":" + event.tokenId(), text, payload(event, loginUrl));
    }

    static Notice loggedIn(TokenEvent event, String loginUrl, Instant now, ZoneId zone) {
        String text = "Kite session active until " + ExpiryText.when(event.expiresAt(), now, zone) + " (token_id "
                + event.tokenId() + ")";
        return new Notice(event.type() + ":" + event.tokenId(), text, payload(event, loginUrl));
    }

    private static Notice.Event payload(TokenEvent event, String loginUrl) {
        return new Notice.Event(event.type(), event.reason(), event.at(), event.expiresAt(), event.tokenId(), loginUrl);
    }

    private static String because(String reason) {
        return switch (reason) {
            case TokenEvent.REASON_LOGOUT -> "logged out";
            case TokenEvent.REASON_REPORTED -> "a trading pod reported Kite refused it";
            case TokenEvent.REASON_KITE_REJECTED -> "Kite no longer accepts it";
            default -> reason;
        };
    }
}
