package dev.kitetoken.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.kitetoken.support.Browser;
import dev.kitetoken.support.FakeKiteServer;
import dev.kitetoken.support.FaultRelay;
import dev.kitetoken.support.KiteTestEnvironment;
import dev.kitetoken.support.RedisProbe;
import dev.kitetoken.support.RedisServer;
import dev.kitetoken.support.ServiceProcess;

/**
 * A chaos run on real processes: three replicas of the packaged jar, each reaching Redis through its own
 * fault relay, a real redis-server and the fake Kite. For {@code -Dchaos.seconds} (180 in CI) it logs in,
 * reports, logs out, reads and long-polls, while it freezes and resets relays, restarts Redis empty, kills
 * and restarts replicas, and takes Kite away or makes it hang; a cutoff falls in the middle. An observer that shares no code
 * with the service then checks what the clients saw against what was done:
 * <ul>
 * <li>no GET /token answer carries a token ended through the service (re-login, report, logout, cutoff)
 * more than 2 s before the request while that replica could reach Redis, or more than 15 s before while it
 * could reach only Kite; a re-login counts from the moment Kite issued the new token wherever it happened,
 * whenever some path to Redis existed (the login's replica, or a peer that reached Redis);</li>
 * <li>at most one end event per token, and at least one for every end the service confirmed (unless Redis
 * restarted before the observer could hear it);</li>
 * <li>the token of the last login answered 2xx reaches Redis unless it ended, even if the replica that kept
 * it was killed;</li>
 * <li>no 5xx but the documented 502, 503 and 504; no replica dies on its own.</li>
 * </ul>
 * Seeded: {@code -Dchaos.seed} replays a run.
 * <p>
 * Long because the scenario driver, the observer and its verdicts are one story read top to bottom; the
 * observer is kept here, apart from the support package, so that it shares nothing with what it judges.
 */
class ChaosIT {

    private static final ZoneId IST = ZoneId.of("Asia/Kolkata");
    private static final Duration RUN = Duration.ofSeconds(Long.getLong("chaos.seconds", 180));
    private static final Duration CUTOFF_AFTER = Duration.ofSeconds(Long.getLong("chaos.cutoff-after", 75));
    private static final long WITH_REDIS_NANOS = Duration.ofSeconds(2).toNanos();
    private static final long WITH_KITE_ONLY_NANOS = Duration.ofSeconds(15).toNanos();
    private static final Pattern INVALIDATED = Pattern.compile("\"invalidated\"\\s*:\\s*true");
    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern EXPIRES_AT = Pattern.compile("\"expires_at\"\\s*:\\s*\"([^\"]+)\"");
    /** nanoTime minus the wall clock's nanoseconds: turns a token's expires_at into the test's time line. */
    private static final long NANO_OFFSET = System.nanoTime() - epochNanos(Instant.now());
    private static final int REPLICAS = 3;

    /** One answer a client got: from which replica, when it was asked, what it said. */
    private record Answer(int replica, long askedAt, int status, String token, long expiresAt) {
    }

    private record Window(long from, long to) {
        boolean overlaps(long start, long end) {
            return from <= end && to >= start;
        }
    }

    private final long seed = Long.getLong("chaos.seed", System.nanoTime());
    private final Random random = new Random(seed);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService healer = Executors.newScheduledThreadPool(2);
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    /** When each token ended through the service (nanoTime), as the clients were told. */
    private final Map<String, Long> endedAt = new ConcurrentHashMap<>();
    /** Windows in which a replica could not reach Redis (its relay faulted, Redis down, itself restarting). */
    private final Map<Integer, List<Window>> cutOff = new ConcurrentHashMap<>();
    private final List<Window> kiteAway = new CopyOnWriteArrayList<>();
    private final List<Window> redisRestarts = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final Map<String, List<String>> endEvents = new ConcurrentHashMap<>();
    /** When the observer heard each end event (nanoTime), per token, in the order heard. */
    private final Map<String, List<Long>> endHeardAt = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);

    private RedisServer redis;
    private FakeKiteServer kite;
    private final FaultRelay[] relays = new FaultRelay[REPLICAS];
    private final ServiceProcess[] replicas = new ServiceProcess[REPLICAS];
    private final int[] ports = new int[REPLICAS];
    private final Map<Integer, Map<String, String>> environments = new HashMap<>();
    private final AtomicBoolean redisDown = new AtomicBoolean();

    @Test
    void faultsNeverMakeAReplicaServeADeadTokenLoseALoginOrAnswerAnUndocumented5xx() throws Exception {
        System.out.printf("chaos: seed %d, %d s (replay with -Dchaos.seed=%d -Dchaos.seconds=%d)%n", seed, RUN.toSeconds(), seed, RUN.toSeconds());
        Browser.installCookieJar();
        start();
        List<Thread> clients = new ArrayList<>();
        try {
            Thread events = daemon("chaos-events", this::listenToEvents);
            for (int i = 0; i < REPLICAS; i++) {
                int replica = i;
                clients.add(daemon("chaos-reader-" + i, () -> read(replica)));
                clients.add(daemon("chaos-poller-" + i, () -> longPoll(replica)));
            }
            long end = System.nanoTime() + RUN.toNanos();
            while (System.nanoTime() < end) {
                act();
                Thread.sleep(300 + random.nextInt(1_200));
            }
            healEverything();
            // Time for write-backs, resubscriptions and the Kite checks to settle, the clients still reading.
            Thread.sleep(20_000);
            running.set(false);
            for (Thread client : clients) {
                client.join(15_000);
            }
            events.interrupt();
            check();
        } finally {
            running.set(false);
            healer.shutdownNow();
            for (int i = 0; i < REPLICAS; i++) {
                if (replicas[i] != null) {
                    replicas[i].close();
                }
                relays[i].close();
            }
            kite.stop();
            redis.stop();
        }
    }

    private void start() {
        redis = RedisServer.start();
        for (int i = 0; i < REPLICAS; i++) {
            ports[i] = ServiceProcess.freePort();
            relays[i] = FaultRelay.to(redis.url());
            cutOff.put(i, new CopyOnWriteArrayList<>());
        }
        kite = new FakeKiteServer(KiteTestEnvironment.API_KEY, KiteTestEnvironment.API_SECRET,
                URI.create("http://localhost:" + ports[0] + "/callback"));
        LocalTime cutoff = LocalTime.now(IST).plus(CUTOFF_AFTER).truncatedTo(ChronoUnit.SECONDS);
        // The replicas name each other (issue 24): their management ports, reached directly (the relays are on
        // the Redis links only), each list with the replica itself in it, as a headless Service resolves.
        int[] management = new int[REPLICAS];
        List<String> peers = new ArrayList<>();
        for (int i = 0; i < REPLICAS; i++) {
            management[i] = ServiceProcess.freePort();
            peers.add("http://127.0.0.1:" + management[i]);
        }
        for (int i = 0; i < REPLICAS; i++) {
            Map<String, String> environment = KiteTestEnvironment.replica(kite, ports[0], relays[i].redisUrl());
            environment.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(management[i]));
            environment.put("KITE_PEERS", String.join(",", peers));
            environment.put("KITE_PEER_SECRET", "chaos-peer-secret-eeeeeeeeeeeeeeeeeeeeeeee");
            environment.put("KITE_EXPIRY_TIME", cutoff.toString().length() == 5 ? cutoff + ":00" : cutoff.toString());
            environment.put("KITE_HTTP_TIMEOUT", "2s");
            environments.put(i, environment);
            replicas[i] = ServiceProcess.start("chaos-" + i, ports[i], environment, List.of("-Xmx64m", "-XX:+UseSerialGC"));
        }
    }

    // ---- what the clients and the operators do ----

    private void act() throws Exception {
        int roll = random.nextInt(100);
        if (roll < 30) {
            logIn(random.nextInt(REPLICAS));
        } else if (roll < 38) {
            report(random.nextInt(REPLICAS), random.nextBoolean());
        } else if (roll < 42) {
            logOut(random.nextInt(REPLICAS));
        } else if (roll < 56) {
            freeze(random.nextInt(REPLICAS), Duration.ofMillis(2_000 + random.nextInt(18_000)));
        } else if (roll < 64) {
            resetRelay(random.nextInt(REPLICAS));
        } else if (roll < 72) {
            restartRedis(Duration.ofMillis(1_000 + random.nextInt(2_000)));
        } else if (roll < 80) {
            restartReplica(random.nextInt(REPLICAS));
        } else if (roll < 83) {
            kiteAway(Duration.ofMillis(2_000 + random.nextInt(3_000)));
        } else if (roll < 86) {
            kiteHangs(Duration.ofMillis(2_000 + random.nextInt(4_000)));
        } else if (roll < 94) {
            // The quiet fault at its worst: one replica cut off silently for longer than the 15 s bound while
            // a re-login elsewhere kills the token it holds.
            int silent = random.nextInt(REPLICAS);
            freeze(silent, Duration.ofMillis(20_000 + random.nextInt(5_000)));
            logIn((silent + 1 + random.nextInt(REPLICAS - 1)) % REPLICAS);
        } else {
            count("idle");
        }
    }

    private void logIn(int replica) {
        count("logins");
        String before = kite.currentAccessToken();
        int status;
        try {
            URI callback = Browser.callbackAfterLogin(url(replica));
            URI toReplica = URI.create(callback.toString().replaceFirst("^http://localhost:\\d+", url(replica)));
            // The browser that started the login sends its kite_login cookie, which holds the state.
            String state = toReplica.getRawQuery().replaceFirst(".*(?:^|&)state=([A-Za-z0-9_-]+).*", "$1");
            status = send(HttpRequest.newBuilder(toReplica).header("Accept", "application/json")
                    .header("Cookie", "kite_login=" + state)).statusCode();
        } catch (AssertionError | Exception e) {
            // /login or Kite's page failed (Kite away, the replica restarting): no token was issued.
            count("logins not started");
            return;
        }
        expectDocumented("GET /callback", status);
        String after = kite.currentAccessToken();
        if (after != null && !after.equals(before)) {
            long now = System.nanoTime();
            issued.put(after, now);
            // Kite killed the previous token the moment it issued this one. Where the login happened does not
            // matter while some path to Redis existed: the replica's own link, or a peer's (issue 24).
            if (before != null && (status == 200 || (status == 202 && somePathToRedis(replica, now)))) {
                endedAt.putIfAbsent(before, now);
                count(status == 200 ? "re-logins stored" : "re-logins kept while a peer reached Redis");
            } else if (before != null) {
                // Kept on that replica (202, Redis unreachable from it), or failed after the exchange: the
                // service has ended the previous token once the new one's issued event is out.
                endsWhenIssued.put(tokenId(after), before);
            }
            if (status == 200 || status == 202) {
                count("logins " + status);
                lastLogin = after;
            }
        }
    }

    /** Whether, at {@code at}, a replica other than the one that took a login could reach Redis (so a peer could store it). */
    private boolean somePathToRedis(int loginReplica, long at) {
        if (redisDown.get()) {
            return false;
        }
        for (int i = 0; i < REPLICAS; i++) {
            int peer = i;
            if (peer != loginReplica && replicas[peer] != null && cutOff.get(peer).stream().noneMatch(w -> w.overlaps(at - WITH_REDIS_NANOS, at))) {
                return true;
            }
        }
        return false;
    }

    private volatile String lastLogin;
    /** Tokens a master logout at Kite killed (nobody told the service). */
    private final java.util.Set<String> killedAtKite = ConcurrentHashMap.newKeySet();
    /** Token ids of logins kept on a replica, and the token each one ends once it is issued through Redis. */
    private final Map<String, String> endsWhenIssued = new ConcurrentHashMap<>();

    private void report(int replica, boolean masterLogoutFirst) {
        String token = kite.currentAccessToken();
        if (token == null) {
            return;
        }
        count("reports");
        if (masterLogoutFirst) {
            // Someone logged out on Kite web: Kite rejects the token; the service knows once a pod reports it.
            kite.killSession();
            killedAtKite.add(token);
        }
        HttpResponse<String> answer = sendQuietly(HttpRequest.newBuilder(URI.create(url(replica) + "/token/invalidate"))
                .header("Authorization", "Bearer " + KiteTestEnvironment.READER_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"access_token\":\"" + token + "\"}")));
        if (answer != null) {
            expectDocumented("POST /token/invalidate", answer.statusCode());
            if (answer.statusCode() == 200 && INVALIDATED.matcher(answer.body()).find()) {
                endedAt.putIfAbsent(token, System.nanoTime());
                confirmedEnds.put(token, System.nanoTime());
                count("reports confirmed");
            }
        }
    }

    /** Ends the service confirmed to a client (report, logout), with when: each must show as one end event. */
    private final Map<String, Long> confirmedEnds = new ConcurrentHashMap<>();

    private void logOut(int replica) {
        String token = kite.currentAccessToken();
        count("logouts");
        HttpResponse<String> answer = sendQuietly(HttpRequest.newBuilder(URI.create(url(replica) + "/token"))
                .header("Authorization", "Bearer " + KiteTestEnvironment.ADMIN_TOKEN).DELETE());
        if (answer != null) {
            expectDocumented("DELETE /token", answer.statusCode());
            if (answer.statusCode() == 200 && token != null && answer.body().contains(tokenId(token))) {
                endedAt.putIfAbsent(token, System.nanoTime());
                confirmedEnds.put(token, System.nanoTime());
                count("logouts confirmed");
            }
        }
    }

    // ---- faults ----

    private void freeze(int replica, Duration duration) {
        count("relay freezes");
        long from = System.nanoTime();
        relays[replica].freeze();
        healer.schedule(() -> {
            relays[replica].heal();
            cutOff.get(replica).add(new Window(from, System.nanoTime() + Duration.ofSeconds(3).toNanos()));
        }, duration.toMillis(), TimeUnit.MILLISECONDS);
        cutOff.get(replica).add(new Window(from, from + duration.toNanos() + Duration.ofSeconds(3).toNanos()));
    }

    private void resetRelay(int replica) {
        count("relay resets");
        long at = System.nanoTime();
        relays[replica].reset();
        cutOff.get(replica).add(new Window(at, at + Duration.ofSeconds(3).toNanos()));
    }

    private void restartRedis(Duration downtime) {
        if (!redisDown.compareAndSet(false, true)) {
            return;
        }
        count("redis restarts");
        long from = System.nanoTime();
        redis.restart(downtime);
        long to = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        redisRestarts.add(new Window(from, to));
        for (int i = 0; i < REPLICAS; i++) {
            cutOff.get(i).add(new Window(from, to));
        }
        redisDown.set(false);
    }

    private void restartReplica(int replica) {
        count("replica kills");
        long from = System.nanoTime();
        ServiceProcess old = replicas[replica];
        replicas[replica] = null;
        old.kill();
        // A new pod gets new connections; the fault was on the old one's path.
        relays[replica].heal();
        try {
            replicas[replica] = ServiceProcess.start("chaos-" + replica + "-" + counts.get("replica kills").get(), ports[replica],
                    environments.get(replica), List.of("-Xmx64m", "-XX:+UseSerialGC"));
        } catch (IllegalStateException e) {
            // It does not start while Redis is down (it has never reached it): try again once Redis is back.
            replicas[replica] = ServiceProcess.start("chaos-" + replica + "-again", ports[replica], environments.get(replica),
                    List.of("-Xmx64m", "-XX:+UseSerialGC"));
        }
        cutOff.get(replica).add(new Window(from, System.nanoTime() + Duration.ofSeconds(3).toNanos()));
    }

    private void kiteAway(Duration duration) {
        count("kite outages");
        long from = System.nanoTime();
        kite.refuseConnections();
        healer.schedule(kite::acceptConnections, duration.toMillis(), TimeUnit.MILLISECONDS);
        kiteAway.add(new Window(from, from + duration.toNanos() + Duration.ofSeconds(1).toNanos()));
    }

    /** Kite accepts connections but never answers an exchange: callbacks wait out KITE_HTTP_TIMEOUT. */
    private void kiteHangs(Duration duration) {
        count("kite hangs");
        long from = System.nanoTime();
        kite.fault(FakeKiteServer.Fault.HANG);
        healer.schedule(kite::stopHanging, duration.toMillis(), TimeUnit.MILLISECONDS);
        kiteAway.add(new Window(from, from + duration.toNanos() + Duration.ofSeconds(3).toNanos()));
    }

    private void healEverything() {
        for (FaultRelay relay : relays) {
            relay.heal();
        }
        kite.acceptConnections();
        kite.stopHanging();
    }

    // ---- the clients ----

    private void read(int replica) {
        while (running.get()) {
            String base = url(replica);
            if (base != null) {
                long asked = System.nanoTime();
                HttpResponse<String> answer = sendQuietly(HttpRequest.newBuilder(URI.create(base + "/token"))
                        .header("Authorization", "Bearer " + KiteTestEnvironment.READER_TOKEN).header("Accept", "application/json")
                        .timeout(Duration.ofSeconds(10)));
                if (answer != null) {
                    expectDocumented("GET /token", answer.statusCode());
                    answers.add(answer(replica, asked, answer));
                    count("reads");
                }
            }
            pause(50);
        }
    }

    private void longPoll(int replica) {
        String etag = "\"none\"";
        while (running.get()) {
            String base = url(replica);
            if (base != null) {
                long asked = System.nanoTime();
                HttpResponse<String> answer = sendQuietly(HttpRequest.newBuilder(URI.create(base + "/token?wait=5"))
                        .header("Authorization", "Bearer " + KiteTestEnvironment.READER_TOKEN).header("Accept", "application/json")
                        .header("If-None-Match", etag).timeout(Duration.ofSeconds(15)));
                if (answer != null) {
                    expectDocumented("GET /token?wait", answer.statusCode());
                    count("long-polls");
                    if (answer.statusCode() == 200) {
                        // A long-poll answers when the token changed: judged against what was ended before it was asked.
                        answers.add(answer(replica, asked, answer));
                        etag = answer.headers().firstValue("ETag").orElse(etag);
                    } else if (answer.statusCode() == 404) {
                        etag = "\"none\"";
                    }
                } else {
                    pause(200);
                }
            } else {
                pause(200);
            }
        }
    }

    /** What a client saw: the token and its expires_at, as the JSON answer says. */
    private static Answer answer(int replica, long asked, HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            return new Answer(replica, asked, response.statusCode(), null, Long.MAX_VALUE);
        }
        Matcher token = ACCESS_TOKEN.matcher(response.body());
        Matcher expires = EXPIRES_AT.matcher(response.body());
        if (!token.find() || !expires.find()) {
            throw new AssertionError("GET /token answered 200 without access_token and expires_at: " + response.body().length() + " characters");
        }
        long expiresAt = epochNanos(java.time.OffsetDateTime.parse(expires.group(1)).toInstant()) + NANO_OFFSET;
        return new Answer(replica, asked, 200, token.group(1), expiresAt);
    }

    private static long epochNanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    /** Every event published on the channel, as a subscriber hears it; reconnects after Redis restarts. */
    private void listenToEvents() {
        Pattern type = Pattern.compile("\"type\"\\s*:\\s*\"([a-z]+)\"");
        Pattern id = Pattern.compile("\"token_id\"\\s*:\\s*\"([0-9a-f]+)\"");
        while (running.get()) {
            URI uri = URI.create(redis.url());
            try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
                String channel = "kite:events:" + KiteTestEnvironment.API_KEY;
                socket.getOutputStream().write(("*2\r\n$9\r\nSUBSCRIBE\r\n$" + channel.length() + "\r\n" + channel + "\r\n")
                        .getBytes(StandardCharsets.UTF_8));
                DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
                while (running.get()) {
                    List<String> message = readArray(in);
                    if (message.size() == 3 && message.get(0).equals("message")) {
                        Matcher t = type.matcher(message.get(2));
                        Matcher i = id.matcher(message.get(2));
                        if (t.find() && i.find()) {
                            if (t.group(1).equals("issued")) {
                                String previous = endsWhenIssued.remove(i.group(1));
                                if (previous != null) {
                                    endedAt.putIfAbsent(previous, System.nanoTime());
                                }
                            } else {
                                endEvents.computeIfAbsent(i.group(1), k -> new CopyOnWriteArrayList<>()).add(message.get(2));
                                endHeardAt.computeIfAbsent(i.group(1), k -> new CopyOnWriteArrayList<>()).add(System.nanoTime());
                            }
                        }
                        count("events heard");
                    }
                }
            } catch (IOException | RuntimeException e) {
                count("observer reconnects");
                pause(100);
            }
        }
    }

    // ---- the observer's verdict ----

    private void check() {
        // 1. No dead token served beyond its bound.
        for (Answer answer : answers) {
            if (answer.token() == null) {
                continue;
            }
            Long ended = endedAt.get(answer.token());
            // The cutoff ends a token at its expires_at (the service's own word, checked against the wall clock).
            long end = Math.min(ended == null ? Long.MAX_VALUE : ended, answer.expiresAt());
            lastExpiry.merge(answer.token(), answer.expiresAt(), Math::min);
            if (end == Long.MAX_VALUE || answer.askedAt() <= end) {
                continue;
            }
            long late = answer.askedAt() - end;
            boolean kiteWasAway = kiteAway.stream().anyMatch(w -> w.overlaps(end, answer.askedAt()));
            boolean redisWasOut = cutOff.get(answer.replica()).stream().anyMatch(w -> w.overlaps(end, answer.askedAt()));
            long bound = redisWasOut ? WITH_KITE_ONLY_NANOS : WITH_REDIS_NANOS;
            if (late > bound && !(redisWasOut && kiteWasAway)) {
                violations.add("replica %d served token %s %d ms after it ended (bound %d ms%s)".formatted(answer.replica(),
                        tokenId(answer.token()), late / 1_000_000, bound / 1_000_000, redisWasOut ? ", cut off from Redis" : ""));
            }
        }
        // 2. At most one end event per token; at least one for every end the service confirmed.
        endEvents.forEach((tokenId, events) -> {
            if (events.size() > 1) {
                // The claim that keeps an end to one lives in Redis: an empty restart between two ends forgets
                // it, and a replica that never heard the first cannot know. Counted, not a violation.
                List<Long> heard = endHeardAt.get(tokenId);
                boolean restartBetween = heard.size() > 1
                        && redisRestarts.stream().anyMatch(w -> w.overlaps(heard.get(0), heard.get(heard.size() - 1)));
                if (restartBetween) {
                    count("ends repeated across an empty Redis restart");
                } else {
                    violations.add("token " + tokenId + " ended " + events.size() + " times: " + events);
                }
            }
        });
        confirmedEnds.forEach((token, at) -> {
            boolean redisRestartedSoonAfter = redisRestarts.stream().anyMatch(w -> w.overlaps(at - Duration.ofSeconds(1).toNanos(), at + Duration.ofSeconds(3).toNanos()));
            if (!endEvents.containsKey(tokenId(token)) && !redisRestartedSoonAfter) {
                violations.add("the end of token " + tokenId(token) + " was confirmed to a client but never published");
            }
        });
        // 3. The last login's token reached Redis, unless it ended: even one kept on a replica that was killed
        // since (its peers keep it too, issue 24).
        String last = lastLogin;
        boolean expired = last != null && lastExpiry.getOrDefault(last, Long.MAX_VALUE) < System.nanoTime();
        if (last != null && !endedAt.containsKey(last) && !expired && !killedAtKite.contains(last)) {
            try (RedisProbe probe = new RedisProbe(redis.url())) {
                String stored = probe.get("kite:access_token:" + KiteTestEnvironment.API_KEY);
                if (!last.equals(stored)) {
                    violations.add("the last login's token " + tokenId(last) + " never reached Redis (it holds "
                            + (stored == null ? "nothing" : tokenId(stored)) + ")");
                }
            }
        }
        // 4. No replica died on its own.
        for (int i = 0; i < REPLICAS; i++) {
            if (replicas[i] == null || !replicas[i].alive()) {
                violations.add("replica " + i + " is not running at the end");
            }
        }
        record();
        System.out.println("chaos: " + new java.util.TreeMap<>(counts) + ", answers " + answers.size() + ", tokens ended "
                + endedAt.size() + ", violations " + violations.size());
        violations.stream().limit(30).forEach(v -> System.out.println("chaos: VIOLATION " + v));
        assertThat(counts.getOrDefault("logins 200", new AtomicInteger()).get() + counts.getOrDefault("logins 202", new AtomicInteger()).get())
                .as("logins that succeeded (the run must exercise something)").isPositive();
        assertThat(violations).as("violations (seed %d)", seed).isEmpty();
    }

    /** What the observer saw, for a post-mortem: target/chaos/ (times in ms since the run started). */
    private void record() {
        long zero = startedAt;
        StringBuilder out = new StringBuilder("replica,asked_ms,status,token_id,ended_ms\n");
        for (Answer answer : answers) {
            Long ended = answer.token() == null ? null : endedAt.get(answer.token());
            out.append(answer.replica()).append(',').append((answer.askedAt() - zero) / 1_000_000).append(',').append(answer.status())
                    .append(',').append(answer.token() == null ? "" : tokenId(answer.token())).append(',')
                    .append(ended == null ? "" : (ended - zero) / 1_000_000).append('\n');
        }
        StringBuilder windows = new StringBuilder("replica,from_ms,to_ms\n");
        cutOff.forEach((replica, list) -> list.forEach(w -> windows.append(replica).append(',').append((w.from() - zero) / 1_000_000)
                .append(',').append((w.to() - zero) / 1_000_000).append('\n')));
        try {
            java.nio.file.Path dir = java.nio.file.Path.of("target", "chaos");
            java.nio.file.Files.createDirectories(dir);
            java.nio.file.Files.writeString(dir.resolve("answers.csv"), out);
            java.nio.file.Files.writeString(dir.resolve("cut-off.csv"), windows);
        } catch (IOException e) {
            System.out.println("chaos: could not write target/chaos: " + e.getMessage());
        }
    }

    private final long startedAt = System.nanoTime();

    /** The expiry each token was served with. */
    private final Map<String, Long> lastExpiry = new ConcurrentHashMap<>();

    /** When Kite issued each token (nanoTime). */
    private final Map<String, Long> issued = new ConcurrentHashMap<>();

    // ---- plumbing ----

    private void expectDocumented(String call, int status) {
        count(call + " " + status);
        if (status >= 500 && status != 502 && status != 503 && status != 504) {
            violations.add(call + " answered " + status);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Null when the replica could not be reached (restarting): not an answer. */
    private HttpResponse<String> sendQuietly(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            count("unreachable");
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private String url(int replica) {
        ServiceProcess process = replicas[replica];
        return process == null ? null : process.url();
    }

    private void count(String what) {
        counts.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet();
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The observer's own token id: the first 16 hex characters of SHA-256 of the token. */
    private static String tokenId(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> readArray(DataInputStream in) throws IOException {
        String header = line(in);
        List<String> items = new ArrayList<>();
        if (!header.startsWith("*")) {
            return items;
        }
        int count = Integer.parseInt(header.substring(1));
        for (int i = 0; i < count; i++) {
            String item = line(in);
            if (item.startsWith("$")) {
                byte[] bytes = new byte[Integer.parseInt(item.substring(1))];
                in.readFully(bytes);
                line(in);
                items.add(new String(bytes, StandardCharsets.UTF_8));
            } else {
                items.add(item.substring(1));
            }
        }
        return items;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("connection ended");
            }
            line.append((char) c);
        }
        in.read();
        return line.toString();
    }
}
