package dev.kitetoken.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.kitetoken.hashing.Sha256;
import dev.kitetoken.support.Browser;
import dev.kitetoken.support.FakeChatServer;
import dev.kitetoken.support.FakeKiteServer;
import dev.kitetoken.support.KiteTestEnvironment;
import dev.kitetoken.support.RedisServer;
import dev.kitetoken.support.SecretLedger;
import dev.kitetoken.support.ServiceProcess;

/**
 * Three replicas of the packaged service with a fake Telegram and a fake signed webhook on loopback:
 * every reminder reaches each channel exactly once at its time, none on a holiday, and a logout during
 * the day reaches each channel once within 5 s. The zone is picked so that it is late morning there
 * whenever the test runs, with a reminder every 5 s.
 */
class NotificationsIT {

    private static final String BOT_TOKEN = "7012345678:AAit-bot-token-0123456789abcdefghijk";
    private static final String CHAT_ID = "4242";
    private static final String WEBHOOK_SECRET = "it-webhook-secret-0123456789abcdefghij";
    private static final Duration EVERY = Duration.ofSeconds(5);

    private final List<ServiceProcess> replicas = new ArrayList<>();
    private RedisServer redis;
    private FakeKiteServer kite;
    private FakeChatServer telegram;
    private FakeChatServer webhook;
    private ZoneId zone;
    private Instant remindAt;

    @BeforeEach
    void start() {
        Browser.installCookieJar();
        SecretLedger.record(WEBHOOK_SECRET);
        redis = RedisServer.start();
        telegram = FakeChatServer.telegram(BOT_TOKEN, CHAT_ID);
        webhook = FakeChatServer.webhook();
        // Late morning in this zone, whatever the time: reminders from an hour ago, the market opening later.
        int hours = Math.floorMod(11 - OffsetDateTime.now(ZoneOffset.UTC).getHour() + 12, 24) - 12;
        zone = ZoneOffset.ofHours(hours);
    }

    @AfterEach
    void stop() {
        replicas.forEach(ServiceProcess::close);
        for (AutoCloseable closeable : new AutoCloseable[] { telegram, webhook }) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // nothing to clean up further
            }
        }
        if (kite != null) {
            kite.stop();
        }
        redis.stop();
    }

    @Test
    void onATradingDayEachReminderReachesEachChannelOnceAtItsTimeUntilALoginAndALogoutAtOnce() throws Exception {
        startReplicas(Map.of("KITE_TRADING_DAYS", "MON-SUN"));

        // A replica's first deliveries right after its start pay for warming up; from a reminder time after all
        // three are warm, no reminder is skipped and each arrives after its time and before the next one's.
        Instant warm = Instant.now().plus(EVERY);
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> webhook.delivered().stream().filter(m -> slotOf(m).isAfter(warm)).count() >= 2);
        Set<Instant> sent = new HashSet<>();
        List<Long> lateMillis = new ArrayList<>();
        for (FakeChatServer.Received message : webhook.delivered()) {
            Instant slot = slotOf(message);
            assertThat(sent.add(slot)).as("the reminder of %s sent once", slot).isTrue();
            assertThat(Duration.between(remindAt, slot).toMillis() % EVERY.toMillis()).as("%s is a reminder time", slot).isZero();
            assertThat(message.signature()).isEqualTo("sha256=" + Sha256.hmacHex(WEBHOOK_SECRET, message.rawBody()));
            if (slot.isAfter(warm)) {
                long late = Duration.between(slot, message.arrivedAt()).toMillis();
                lateMillis.add(late);
                assertThat(late).as("ms after its time").isBetween(0L, EVERY.toMillis());
                if (slot.minus(EVERY).isAfter(warm)) {
                    assertThat(sent).as("the reminder before it").contains(slot.minus(EVERY));
                }
            }
        }
        assertThat(telegram.delivered().get(0).text()).startsWith("No Kite session \u2014 log in: " + replicas.get(0).url() + "/login");
        System.out.printf("NotificationsIT: reminders arrived %s ms after their time%n", lateMillis);

        assertThat(Browser.logInThrough(replicas.get(1).url())).isEqualTo(200);
        Thread.sleep(1_000);
        int afterLogin = telegram.delivered().size();
        Thread.sleep(EVERY.multipliedBy(2).toMillis());
        assertThat(telegram.delivered()).as("no reminder once someone logged in").hasSize(afterLogin);
        assertThat(webhook.delivered()).as("one Telegram message per reminder").hasSize(afterLogin);

        long loggedOut = System.nanoTime();
        given().auth().oauth2(KiteTestEnvironment.ADMIN_TOKEN).delete(replicas.get(2).url() + "/token").then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> telegram.delivered().size() > afterLogin && webhook.delivered().size() > afterLogin);
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - loggedOut);
        Thread.sleep(2_000);
        assertThat(telegram.delivered()).as("the logout, once").hasSize(afterLogin + 1);
        assertThat(webhook.delivered()).as("the logout, once").hasSize(afterLogin + 1);
        assertThat(telegram.delivered().get(afterLogin).text()).contains("(logged out)");
        assertThat(webhook.delivered().get(afterLogin).json().path("event").path("reason").asText()).isEqualTo("logout");
        System.out.printf("NotificationsIT: logout to both channels in %d ms%n", tookMillis);
    }

    @Test
    void onAHolidayNoReplicaSendsAReminderNorALogoutNotice() throws Exception {
        startReplicas(Map.of("KITE_TRADING_DAYS", "MON-SUN", "KITE_HOLIDAYS", LocalDate.now(zone).toString()));
        Thread.sleep(EVERY.multipliedBy(2).toMillis());
        assertThat(Browser.logInThrough(replicas.get(0).url())).isEqualTo(200);
        given().auth().oauth2(KiteTestEnvironment.ADMIN_TOKEN).delete(replicas.get(1).url() + "/token").then().statusCode(200);
        Thread.sleep(EVERY.toMillis());
        assertThat(telegram.attempts() + webhook.attempts()).isZero();
    }

    private static Instant slotOf(FakeChatServer.Received message) {
        return OffsetDateTime.parse(message.json().path("event").path("at").asText()).toInstant();
    }

    private void startReplicas(Map<String, String> calendar) throws Exception {
        int publicPort = ServiceProcess.freePort();
        kite = new FakeKiteServer(KiteTestEnvironment.API_KEY, KiteTestEnvironment.API_SECRET,
                URI.create("http://localhost:" + publicPort + "/callback"));
        ZonedDateTime now = ZonedDateTime.now(zone).truncatedTo(ChronoUnit.SECONDS);
        remindAt = now.minusHours(1).toInstant();
        Map<String, String> environment = KiteTestEnvironment.replica(kite, publicPort, redis.url());
        environment.putAll(Map.of(
                "KITE_EXPIRY_ZONE", zone.getId(),
                "KITE_REMIND_AT", now.minusHours(1).toLocalTime().toString(),
                "KITE_REMIND_EVERY", EVERY.toSeconds() + "s",
                "KITE_MARKET_OPEN", now.plusMinutes(30).toLocalTime().toString(),
                "KITE_NOTIFY_TELEGRAM_BOT_TOKEN", BOT_TOKEN,
                "KITE_NOTIFY_TELEGRAM_CHAT_ID", CHAT_ID,
                "KITE_NOTIFY_TELEGRAM_API_URL", telegram.url(),
                "KITE_NOTIFY_WEBHOOK_URLS", webhook.url() + "/hooks/it",
                "KITE_NOTIFY_WEBHOOK_SECRET", WEBHOOK_SECRET));
        environment.putAll(calendar);
        List<CompletableFuture<ServiceProcess>> starting = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            int port = i == 1 ? publicPort : ServiceProcess.freePort();
            String name = "notify-" + i;
            starting.add(CompletableFuture.supplyAsync(() -> ServiceProcess.start(name, port, environment)));
        }
        for (CompletableFuture<ServiceProcess> replica : starting) {
            replicas.add(replica.get(90, TimeUnit.SECONDS));
        }
    }
}
