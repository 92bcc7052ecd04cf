package dev.kitetoken.notify;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kitetoken.events.TokenEvent;
import dev.kitetoken.events.TokenEventBus;
import dev.kitetoken.hashing.Sha256;
import dev.kitetoken.support.Browser;
import dev.kitetoken.support.Chromium;
import dev.kitetoken.support.FakeChatServer;
import dev.kitetoken.support.KiteTestEnvironment;
import dev.kitetoken.support.MovableClock;
import dev.kitetoken.support.SecretLedger;
import dev.kitetoken.support.ServiceTest;
import dev.kitetoken.token.TokenIds;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Reminders and alerts with the clock moved to a trading morning, delivered to a fake Telegram and a fake
 * signed webhook on loopback.
 * <p>
 * Over 200 lines: one test per occasion and channel, sharing the fake servers and the moved clock set up here.
 */
@QuarkusTest
@TestProfile(NotificationsTest.WithChannels.class)
@WithTestResource(KiteTestEnvironment.class)
class NotificationsTest extends ServiceTest {

    private static final ZoneId IST = ZoneId.of("Asia/Kolkata");
    static final String BOT_TOKEN = "7012345678:AAtest-bot-token-0123456789abcdefghij";
    static final String CHAT_ID = "-1001234567890";
    static final String WEBHOOK_SECRET = "webhook-signing-secret-0123456789abcdef";
    static final FakeChatServer TELEGRAM = FakeChatServer.telegram(BOT_TOKEN, CHAT_ID);
    static final FakeChatServer WEBHOOK = FakeChatServer.webhook();
    private static final Duration SETTLE = Duration.ofSeconds(2);

    public static class WithChannels implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            SecretLedger.record(WEBHOOK_SECRET);
            return Map.of(
                    "kite.notify-telegram-bot-token", BOT_TOKEN,
                    "kite.notify-telegram-chat-id", CHAT_ID,
                    "kite.notify-telegram-api-url", TELEGRAM.url(),
                    "kite.notify-webhook-urls", WEBHOOK.url() + "/hooks/T0001/B0001/secretpath",
                    "kite.notify-webhook-secret", WEBHOOK_SECRET,
                    "kite.notify-on-login", "true",
                    "kite.notify-retry-delay", "100ms",
                    // Tue 8 Dec is a holiday; Sun 6 Dec a special session. In 2037 (the calendar of 2026, in the
                    // future): a token stored at a moved clock expires (EXAT) by that clock, and Redis keeps real time.
                    "kite.holidays", "2037-12-08",
                    "kite.special-sessions", "2037-12-06");
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(MovableClock.class);
        }
    }

    @RegisterExtension
    final Chromium chromium = new Chromium();

    @Inject
    MovableClock clock;

    @Inject
    NotificationTriggers triggers;

    @Inject
    TokenEventBus bus;

    @BeforeEach
    void emptyInboxes() {
        TELEGRAM.clear();
        WEBHOOK.clear();
    }

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void withNoSessionAtTheReminderTimeOfATradingDayEachChannelGetsOneReminder() throws Exception {
        moveTo("2037-11-30T08:30:00"); // a Monday

        List<FakeChatServer.Received> messages = awaitMessages(1);
        Thread.sleep(SETTLE.toMillis());
        assertThat(TELEGRAM.delivered()).hasSize(1);
        assertThat(WEBHOOK.delivered()).hasSize(1);
        assertThat(messages.get(0).text()).isEqualTo("No Kite session \u2014 log in: " + KiteTestEnvironment.PUBLIC_URL
                + "/login (the market opens at 09:15 IST)");
        JsonNode event = WEBHOOK.delivered().get(0).json().path("event");
        assertThat(event.path("type").asText()).isEqualTo("reminder");
        assertThat(event.path("reason").asText()).isEqualTo("no-session");
        assertThat(event.path("at").asText()).isEqualTo("2037-11-30T08:30+05:30");
        assertThat(event.path("login_url").asText()).isEqualTo(KiteTestEnvironment.PUBLIC_URL + "/login");
        assertThat(event.path("token_id").isNull()).isTrue();
        assertNoSecretIn(TELEGRAM.delivered());
        assertNoSecretIn(WEBHOOK.delivered());
    }

    @Test
    void noReminderOnASaturdayNorOnAListedHolidayButOneOnASpecialSession() throws Exception {
        moveTo("2037-12-05T08:30:00"); // Saturday
        Thread.sleep(SETTLE.toMillis());
        moveTo("2037-12-08T08:30:00"); // Tuesday, a listed holiday
        Thread.sleep(SETTLE.toMillis());
        assertThat(TELEGRAM.attempts() + WEBHOOK.attempts()).as("messages on a Saturday and a holiday").isZero();

        moveTo("2037-12-06T08:30:00"); // Sunday, a special session
        awaitMessages(1);
    }

    @Test
    void theReminderRepeatsUntilSomeoneLogsInAndTheStatusPageSaysWhenTheNextOneIs() throws Exception {
        moveTo("2037-12-02T08:30:00");
        awaitMessages(1);
        moveTo("2037-12-02T08:38:00");
        given().get("/").then().statusCode(200).body(containsString("Next reminder <strong>08:45 IST today</strong>"));
        moveTo("2037-12-02T08:45:00");
        awaitMessages(2);

        Browser.logIn().then().statusCode(200);
        awaitMessages(3); // the login's confirmation (KITE_NOTIFY_ON_LOGIN)
        assertThat(TELEGRAM.delivered().get(2).text()).startsWith("Kite session active until 06:00 IST tomorrow");
        moveTo("2037-12-02T09:00:00");
        Thread.sleep(SETTLE.toMillis());
        assertThat(TELEGRAM.delivered()).as("no reminder with a session").hasSize(3);
    }

    @Test
    void noReminderOnceTheMarketHasOpenedAndTheStatusPageNamesTheNextTradingMorning() throws Exception {
        moveTo("2037-12-04T09:15:00"); // Friday, the market opens
        Thread.sleep(SETTLE.toMillis());
        assertThat(TELEGRAM.attempts() + WEBHOOK.attempts()).isZero();
        given().get("/").then().statusCode(200)
                .body(containsString("Next reminder <strong>08:30 IST on Sun 6 Dec</strong>")); // the special session
        moveTo("2037-12-06T10:00:00");
        given().get("/").then().statusCode(200)
                .body(containsString("Next reminder <strong>08:30 IST tomorrow</strong>"));
    }

    @Test
    void aLogoutDuringTheTradingDayReachesEveryChannelOnceWithTheReasonAndASignature() {
        moveTo("2037-12-03T11:00:00");
        Browser.logIn().then().statusCode(200);
        awaitMessages(1);
        String token = kite.currentAccessToken();

        given().auth().oauth2(KiteTestEnvironment.ADMIN_TOKEN).delete("/token").then().statusCode(200);
        List<FakeChatServer.Received> messages = awaitMessages(2);
        assertThat(messages.get(1).text()).startsWith("Kite session ended 11:0").contains("IST today (logged out)")
                .endsWith("log in again: " + KiteTestEnvironment.PUBLIC_URL + "/login");

        FakeChatServer.Received hook = WEBHOOK.delivered().get(1);
        assertThat(hook.contentType()).startsWith("application/json");
        assertThat(hook.signature()).isEqualTo("sha256=" + Sha256.hmacHex(WEBHOOK_SECRET, hook.rawBody()));
        JsonNode event = hook.json().path("event");
        assertThat(event.path("type").asText()).isEqualTo("invalidated");
        assertThat(event.path("reason").asText()).isEqualTo("logout");
        assertThat(event.path("token_id").asText()).isEqualTo(TokenIds.tokenId(token));
        assertThat(event.path("expires_at").asText()).isEqualTo("2037-12-04T06:00:00+05:30");
        assertNoSecretIn(TELEGRAM.delivered());
        assertNoSecretIn(WEBHOOK.delivered());
        assertThat(String.join("\n", TELEGRAM.delivered().stream().map(FakeChatServer.Received::body).toList())
                + WEBHOOK.delivered().stream().map(FakeChatServer.Received::body).toList()).doesNotContain(token);
    }

    @Test
    void theCutoffAndAReLoginAnnounceNothingAtOnce() throws Exception {
        moveTo("2037-12-03T12:00:00");
        triggers.onEvent(new TokenEvent("expired", KiteTestEnvironment.API_KEY, null, "0123456789abcdef", "cutoff",
                "2037-12-03T06:00+05:30", "2037-12-03T06:00+05:30"));
        triggers.onEvent(new TokenEvent("invalidated", KiteTestEnvironment.API_KEY, null, "fedcba9876543210", "relogin",
                "2037-12-03T12:00+05:30", "2037-12-04T06:00+05:30"));
        Thread.sleep(SETTLE.toMillis());
        assertThat(TELEGRAM.attempts() + WEBHOOK.attempts()).isZero();
    }

    @Test
    void anEventThatCannotBeToldDoesNotStopTheNotificationsOfLaterOnes() {
        moveTo("2037-12-03T13:00:00");
        // An end without a time: its message cannot be written.
        bus.publish(new TokenEvent("invalidated", KiteTestEnvironment.API_KEY, null, "0123456789abcdef", "logout", null, null));

        Browser.logIn().then().statusCode(200);
        awaitMessages(1);
        given().auth().oauth2(KiteTestEnvironment.ADMIN_TOKEN).delete("/token").then().statusCode(200);
        assertThat(awaitMessages(2).get(1).text()).contains("(logged out)");
    }

    @Test
    void aFailingChannelIsTriedAgainWithoutHoldingBackTheOtherAndARefusalIsFinal() {
        double retriedBefore = metric("webhook", "retried");
        double failedBefore = metric("telegram", "failed");
        WEBHOOK.failNext(3, 503);
        moveTo("2037-12-07T08:30:00");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> TELEGRAM.delivered().size() == 1);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> WEBHOOK.delivered().size() == 1);
        assertThat(WEBHOOK.attempts()).isEqualTo(4);
        assertThat(metric("webhook", "retried") - retriedBefore).isEqualTo(3);

        // Telegram answers 400 (a wrong chat_id, say): trying again cannot help.
        TELEGRAM.failNext(1, 400);
        moveTo("2037-12-07T08:45:00");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> WEBHOOK.delivered().size() == 2);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> metric("telegram", "failed") - failedBefore == 1);
        assertThat(TELEGRAM.attempts()).isEqualTo(2);
        assertThat(TELEGRAM.delivered()).hasSize(1);
    }

    @Test
    void onAPhoneTheStatusPageSaysThereIsNoSessionWhenTheNextReminderIsAndWhatHappened() throws Exception {
        moveTo("2037-12-03T08:20:00");
        Browser.logIn().then().statusCode(200);
        given().auth().oauth2(KiteTestEnvironment.ADMIN_TOKEN).delete("/token").then().statusCode(200);

        ChromeDriver browser = chromium.openWindow(390, 844);
        browser.get(KiteTestEnvironment.PUBLIC_URL + "/");
        String page = browser.findElement(By.tagName("body")).getText();
        assertThat(page).contains("No session", "Log in with Kite", "Next reminder 08:30 IST today, unless someone logs in first",
                "Logged out", "Logged in").doesNotContain(KiteTestEnvironment.ALLOWED_USER);
        assertThat((Boolean) browser.executeScript("return document.documentElement.scrollWidth <= window.innerWidth"))
                .as("nothing scrolls sideways on a phone").isTrue();
        Files.createDirectories(Chromium.SCREENSHOTS);
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), Chromium.SCREENSHOTS.resolve("status-no-session-390x844.png"),
                StandardCopyOption.REPLACE_EXISTING);
        chromium.checkConsole(browser);
    }

    private void moveTo(String istTime) {
        clock.moveTo(LocalDateTime.parse(istTime).atZone(IST).toInstant());
    }

    /** Waits until both channels hold {@code count} messages; the Telegram ones. */
    private static List<FakeChatServer.Received> awaitMessages(int count) {
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> TELEGRAM.delivered().size() >= count && WEBHOOK.delivered().size() >= count);
        assertThat(TELEGRAM.delivered()).hasSize(count);
        assertThat(WEBHOOK.delivered()).hasSize(count);
        return TELEGRAM.delivered();
    }

    private static void assertNoSecretIn(List<FakeChatServer.Received> messages) {
        for (FakeChatServer.Received message : messages) {
            for (String secret : SecretLedger.secrets()) {
                assertThat(message.body()).as("a message carries no secret").doesNotContain(secret);
            }
        }
    }

    private static double metric(String channel, String outcome) {
        String metrics = given().get(KiteTestEnvironment.MANAGEMENT_URL + "/q/metrics").then().statusCode(200).extract().asString();
        Matcher value = Pattern.compile("(?m)^kite_notifications_total\\{channel=\"" + channel + "\",outcome=\"" + outcome
                + "\"[^}]*} ([0-9.E]+)").matcher(metrics);
        return value.find() ? Double.parseDouble(value.group(1)) : 0;
    }
}
