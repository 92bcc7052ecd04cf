package dev.kitetoken.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.zerodhatech.kiteconnect.KiteConnect;
import com.zerodhatech.kiteconnect.kitehttp.exceptions.TokenException;
import com.zerodhatech.models.Profile;
import com.zerodhatech.models.Tick;
import com.zerodhatech.ticker.KiteTicker;

import dev.kitetoken.client.KiteToken;
import dev.kitetoken.client.ServiceRefusedException;
import dev.kitetoken.client.TokenFollower;
import dev.kitetoken.client.sdk.CurrentKiteConnect;
import dev.kitetoken.client.sdk.FollowingTicker;
import dev.kitetoken.support.Browser;
import dev.kitetoken.support.FakeKiteServer;
import dev.kitetoken.support.FakeKiteTicker;
import dev.kitetoken.support.FaultRelay;
import dev.kitetoken.support.KiteTestEnvironment;
import dev.kitetoken.support.OfficialKiteSdk;
import dev.kitetoken.support.RedisServer;
import dev.kitetoken.support.ServiceProcess;

/**
 * Issue 23: a trading program written against the official SDK (KiteConnect and KiteTicker, unmodified) and
 * clients/java, with no token handling of its own, through re-logins, a logout, the token's expiry, a token
 * killed at Kite and an unreachable service; against the packaged service, redis-server, the fake Kite and the
 * fake ticker. The follower reaches the service through a fault relay, to lose a push on purpose.
 */
class JavaClientIT {

    private static final Duration SOON = Duration.ofSeconds(10);
    private static final long NSE_INSTRUMENT = 408065L;
    private static final long OTHER_INSTRUMENT = 738561L;

    private Set<Thread> threadsBefore;
    private RedisServer redis;
    private FakeKiteServer kite;
    private FakeKiteTicker ticker;
    private ServiceProcess service;
    private FaultRelay relay;
    private final AdjustableClock clock = new AdjustableClock();
    private TokenFollower follower;
    private FollowingTicker following;
    private final List<Tick> ticks = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        Browser.installCookieJar();
        redis = RedisServer.start();
        int port = ServiceProcess.freePort();
        kite = new FakeKiteServer(KiteTestEnvironment.API_KEY, KiteTestEnvironment.API_SECRET, URI.create("http://localhost:" + port + "/callback"));
        ticker = FakeKiteTicker.start(kite, KiteTestEnvironment.API_KEY);
        OfficialKiteSdk.tickerAt(ticker.sdkAddress());
        service = ServiceProcess.start("client-service", port, KiteTestEnvironment.replica(kite, port, redis.url()));
        relay = new FaultRelay("127.0.0.1", port);
        threadsBefore = Thread.getAllStackTraces().keySet();
        follower = TokenFollower.builder(URI.create("http://127.0.0.1:" + relay.port()), KiteTestEnvironment.READER_TOKEN)
                .backoff(Duration.ofMillis(200), Duration.ofSeconds(1)).clock(clock).start();
    }

    @AfterEach
    void stop() {
        if (following != null) {
            following.close();
        }
        follower.close();
        relay.close();
        service.close();
        ticker.close();
        kite.stop();
        redis.stop();
    }

    @Test
    void aReLoginRebuildsTheTickerWithItsSubscriptionsAndModesAndNeverOpensTwo() throws Exception {
        following = tradingProgram();
        logIn();
        FakeKiteTicker.Connection first = awaitOpenConnectionFor(kite.currentAccessToken());
        awaitTicksFrom(first);

        for (int i = 0; i < 4; i++) {
            logIn();
            FakeKiteTicker.Connection next = awaitOpenConnectionFor(kite.currentAccessToken());
            Awaitility.await().atMost(SOON).until(() -> next.modes().equals(wantedModes()));
            awaitTicksFrom(next);
            assertThat(ticker.open()).as("only the new token's connection stays open").containsExactly(next);
        }
        assertThat(first.isOpen()).isFalse();
        assertThat(ticker.mostOpenAtOnce()).as("connections open at once").isEqualTo(1);
        assertThat(ticker.connections()).hasSize(5);
        assertThat(ticker.refusals()).as("never tried with a dead token").isZero();
        List<String> replayed = ticker.connections().get(4).messages();
        assertThat(replayed.get(0)).contains("\"a\":\"subscribe\"");
        // Ticks between the replayed subscribe and its modes come in quote mode, as Kite sends them; after, as set.
        int lastSerial = ticker.connections().get(4).serial();
        Awaitility.await().atMost(SOON).untilAsserted(() -> {
            Map<Long, String> lastModes = new java.util.HashMap<>();
            ticks.stream().filter(tick -> tick.getLastTradedPrice() == lastSerial).forEach(tick -> lastModes.put(tick.getInstrumentToken(), tick.getMode()));
            assertThat(lastModes).isEqualTo(wantedModes());
        });
    }

    @Test
    void aLogoutStopsTheTickerAndTheNextLoginBringsItBack() throws Exception {
        following = tradingProgram();
        logIn();
        FakeKiteTicker.Connection before = awaitOpenConnectionFor(kite.currentAccessToken());

        given().auth().oauth2(KiteTestEnvironment.ADMIN_TOKEN).delete(service.url() + "/token").then().statusCode(200);
        Awaitility.await().atMost(SOON).until(() -> !before.isOpen());
        Awaitility.await().atMost(SOON).until(() -> follower.current().isEmpty());
        theTickerIsStoppedAndTheNextLoginBringsItBack();
    }

    @Test
    void theCutoffStopsTheTickerAndTheNextLoginBringsItBack() throws Exception {
        // The service's cutoff (KITE_EXPIRY_TIME) 25 s from now: the token of a login now ends then, as at 06:00 IST.
        LocalTime cutoff = LocalTime.now(ZoneId.of("Asia/Kolkata")).plusSeconds(25).truncatedTo(ChronoUnit.SECONDS);
        int port = URI.create(service.url()).getPort();
        service.close();
        Map<String, String> environment = KiteTestEnvironment.replica(kite, port, redis.url());
        environment.put("KITE_EXPIRY_TIME", cutoff.toString().length() == 5 ? cutoff + ":00" : cutoff.toString());
        service = ServiceProcess.start("client-service-cutoff", port, environment);
        following = tradingProgram();
        logIn();
        // The follower's read that the relay held while the service restarted times out first (5 s).
        KiteToken token = follower.awaitToken(Duration.ofSeconds(20)).orElseThrow();
        FakeKiteTicker.Connection connection = awaitOpenConnectionFor(token.accessToken());
        assertThat(Duration.between(Instant.now(), token.expiresAt())).isLessThan(Duration.ofSeconds(30));

        Awaitility.await().atMost(Duration.ofSeconds(40)).until(() -> !connection.isOpen());
        assertThat(Instant.now()).as("stopped at the cutoff, not before").isAfterOrEqualTo(token.expiresAt().minusSeconds(1));
        assertThat(follower.current()).isEmpty();
        theTickerIsStoppedAndTheNextLoginBringsItBack();
    }

    @Test
    void whileTheServiceIsUnreachableTheTickerKeepsTheLastTokenUntilItExpiresThenStops() throws Exception {
        following = tradingProgram();
        logIn();
        KiteToken token = follower.awaitToken(SOON).orElseThrow();
        FakeKiteTicker.Connection connection = awaitOpenConnectionFor(token.accessToken());

        // 06:00 IST is 10 s away on the follower's clock; its long-poll starts again (the relay resets it) under
        // that clock, as it would have in the last minutes before the cutoff.
        clock.moveTo(token.expiresAt().minusSeconds(10));
        relay.reset();
        Thread.sleep(1_500);
        service.kill();
        Thread.sleep(3_000);
        assertThat(follower.current()).contains(token);
        assertThat(connection.isOpen()).isTrue();
        int frames = connection.framesSent();
        awaitTicksFrom(connection);
        assertThat(connection.framesSent()).isGreaterThan(frames);
        assertThat(ticker.connections()).as("no teardown while nothing changed").hasSize(1);

        // The service is still away when the token's expires_at comes: the follower ends it on its own clock.
        Awaitility.await().atMost(SOON).until(() -> follower.current().isEmpty());
        Awaitility.await().atMost(SOON).until(() -> !connection.isOpen());
        assertThat(following.isConnectionOpen()).isFalse();
    }

    @Test
    void aTokenKilledAtKiteIsRefusedAtTheUpgradeReportedAndTheNextLoginBringsTheTickerBack() throws Exception {
        ticker.dropConnectionsOfDeadTokens(true);
        following = tradingProgram();
        logIn();
        awaitOpenConnectionFor(kite.currentAccessToken());

        kite.killSession(); // a logout everywhere at Kite: the service is not told
        Awaitility.await().atMost(SOON).until(() -> ticker.refusals() >= 1);
        // The report reaches the service, which asks Kite, ends the token and tells every follower.
        Awaitility.await().atMost(SOON).until(() -> follower.current().isEmpty());
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).get(service.url() + "/token").then().statusCode(404);
        Thread.sleep(2_000);
        assertThat(ticker.refusals()).as("the refused token is not tried again").isEqualTo(1);

        logIn();
        awaitTicksFrom(awaitOpenConnectionFor(kite.currentAccessToken()));
    }

    @Test
    void aSameTokenReadAgainTearsNothingDownAndAPushLostOnTheWireIsCaughtByTheNextRead() throws Exception {
        following = tradingProgram();
        logIn();
        KiteToken first = follower.awaitToken(SOON).orElseThrow();
        FakeKiteTicker.Connection connection = awaitOpenConnectionFor(first.accessToken());

        relay.reset(); // the long-poll's connection reset: the follower reads again and finds the same token
        Thread.sleep(2_000);
        assertThat(follower.current()).contains(first);
        assertThat(ticker.connections()).containsExactly(connection);
        assertThat(connection.isOpen()).isTrue();

        // The re-login's answer to the waiting long-poll is lost on the way, then that connection is reset.
        Thread.sleep(500);
        relay.cutToClient();
        logIn();
        String second = kite.currentAccessToken();
        Thread.sleep(500);
        assertThat(follower.current()).contains(first);
        relay.reset();
        relay.heal();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> follower.current().map(KiteToken::accessToken).filter(second::equals).isPresent());
        awaitTicksFrom(awaitOpenConnectionFor(second));
    }

    @Test
    void kiteConnectCallsWorkAcrossReLoginsAndATokenExceptionIsReportedAndRecoveredFrom() throws Throwable {
        KiteConnect one = OfficialKiteSdk.client(KiteTestEnvironment.API_KEY, kite.baseUrl());
        KiteConnect two = OfficialKiteSdk.client(KiteTestEnvironment.API_KEY, kite.baseUrl());
        try (CurrentKiteConnect first = CurrentKiteConnect.keep(follower, one, SOON);
                CurrentKiteConnect second = CurrentKiteConnect.keep(follower, two, SOON)) {
            logIn();
            follower.awaitToken(SOON).orElseThrow();
            assertThat(first.call(KiteConnect::getProfile).broker).isEqualTo("ZERODHA");

            for (int i = 0; i < 3; i++) {
                logIn();
                String next = kite.currentAccessToken();
                Awaitility.await().atMost(SOON).until(() -> first.token().map(KiteToken::accessToken).filter(next::equals).isPresent());
                Profile profile = first.call(KiteConnect::getProfile);
                assertThat(profile.broker).isEqualTo("ZERODHA");
                assertThat(second.call(KiteConnect::getProfile).broker).isEqualTo("ZERODHA");
            }

            // Killed at Kite behind the service's back: the call reports it, waits for the next login, and succeeds.
            kite.killSession();
            Thread loginLater = new Thread(() -> {
                Awaitility.await().atMost(SOON).until(() -> follower.current().isEmpty());
                logIn();
            });
            loginLater.start();
            assertThat(first.call(KiteConnect::getProfile).broker).isEqualTo("ZERODHA");
            loginLater.join();
            assertThat(second.token().map(KiteToken::accessToken)).contains(kite.currentAccessToken());

            // A call made straight on the SDK: its static session-expiry hook reaches the kept objects, which report.
            kite.killSession();
            assertThatThrownBy(two::getProfile).isInstanceOf(TokenException.class);
            Awaitility.await().atMost(SOON).until(() -> follower.current().isEmpty());
            given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).get(service.url() + "/token").then().statusCode(404);
        }
    }

    @Test
    void aWrongReaderSecretStopsTheFollowerWithAMessageThatSaysSo() throws Exception {
        try (TokenFollower wrong = TokenFollower.start(URI.create(service.url()), "not-a-reader-secret")) {
            assertThatThrownBy(() -> wrong.awaitToken(SOON)).isInstanceOf(ServiceRefusedException.class)
                    .hasMessageContaining("401").hasMessageContaining("KITE_READER_TOKENS");
            assertThat(wrong.refused()).isPresent();
        }
    }

    @Test
    void closeLeavesNoThreadBehind() throws Exception {
        following = tradingProgram();
        logIn();
        awaitTicksFrom(awaitOpenConnectionFor(kite.currentAccessToken()));
        logIn();
        awaitTicksFrom(awaitOpenConnectionFor(kite.currentAccessToken()));

        following.close();
        following = null;
        follower.close();
        Awaitility.await().atMost(SOON).untilAsserted(() -> assertThat(clientThreads()).isEmpty());
    }

    private void theTickerIsStoppedAndTheNextLoginBringsItBack() {
        assertThat(following.isConnectionOpen()).isFalse();
        assertThat(ticker.open()).isEmpty();
        logIn();
        awaitTicksFrom(awaitOpenConnectionFor(kite.currentAccessToken()));
        assertThat(ticker.mostOpenAtOnce()).isEqualTo(1);
    }

    /** The program of the README: listeners, subscriptions and modes set once, never a line about tokens. */
    private FollowingTicker tradingProgram() {
        FollowingTicker program = new FollowingTicker(follower);
        program.setOnTickerArrivalListener(ticks::addAll);
        program.subscribe(List.of(NSE_INSTRUMENT, OTHER_INSTRUMENT));
        program.setMode(new ArrayList<>(List.of(NSE_INSTRUMENT)), KiteTicker.modeFull);
        program.setMode(new ArrayList<>(List.of(OTHER_INSTRUMENT)), KiteTicker.modeLTP);
        program.connect();
        return program;
    }

    private static Map<Long, String> wantedModes() {
        return Map.of(NSE_INSTRUMENT, "full", OTHER_INSTRUMENT, "ltp");
    }

    private void logIn() {
        assertThat(Browser.logInThrough(service.url())).isEqualTo(200);
    }

    private FakeKiteTicker.Connection awaitOpenConnectionFor(String accessToken) {
        AtomicReference<FakeKiteTicker.Connection> found = new AtomicReference<>();
        Awaitility.await().atMost(SOON).until(() -> {
            ticker.open().stream().filter(c -> c.accessToken().equals(accessToken) && c.modes().equals(wantedModes()))
                    .findFirst().ifPresent(found::set);
            return found.get() != null;
        });
        return found.get();
    }

    /** Ticks carry their connection's serial number as the last price. */
    private void awaitTicksFrom(FakeKiteTicker.Connection connection) {
        int start = ticks.size();
        Awaitility.await().atMost(SOON).until(() -> ticks.subList(start, ticks.size()).stream()
                .anyMatch(tick -> tick.getLastTradedPrice() == connection.serial()));
    }

    private Set<String> clientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(thread -> !threadsBefore.contains(thread))
                .map(Thread::getName)
                // The test's own: the fake ticker's Vert.x, the relay, the fake Kite's JDK HTTP server and its pool.
                .filter(name -> !name.matches("vert\\.?x-.*|fault-relay|awaitility.*|HTTP-Dispatcher|idle-timeout-task|pool-\\d+-thread-\\d+"))
                .collect(Collectors.toSet());
    }

    /** The follower's clock, moved forward to the token's expiry without waiting for 06:00 IST. */
    private static final class AdjustableClock extends Clock {
        private volatile Duration offset = Duration.ZERO;

        void moveTo(Instant instant) {
            offset = Duration.between(Instant.now(), instant);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }
    }
}
