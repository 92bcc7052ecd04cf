package dev.kitetoken.bench;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.kitetoken.support.Browser;
import dev.kitetoken.support.ImageRoot;
import dev.kitetoken.support.FakeKiteServer;
import dev.kitetoken.support.KiteTestEnvironment;
import dev.kitetoken.support.RedisServer;
import dev.kitetoken.support.ServiceProcess;
import dev.kitetoken.token.TokenIds;
import io.restassured.RestAssured;

/**
 * The benchmark behind bench/run.sh: the packaged jar run as the default image runs it, a real
 * redis-server and the fake Kite, all on this machine, measured side by side in one run. Writes
 * bench/results/&lt;date&gt;.md. Sizes can be lowered for a quick look with -Dbench.seconds=5 and friends.
 * <p>
 * Over 200 lines: it sets up the real parts once and runs each section in turn; the measuring is in a class
 * per section.
 */
public final class Bench {

    /** The image measured by every section but "images" (which compares both): the default one, see the README. */
    private static final Path DOCKERFILE = Path.of(System.getProperty("bench.image", "docker/Dockerfile.jvm-aot"));
    private static final String API_KEY = KiteTestEnvironment.API_KEY;
    private static final String READER = KiteTestEnvironment.READER_TOKEN;
    private static final String AUTHORIZATION = "Bearer " + READER;

    private final int seconds = Integer.getInteger("bench.seconds", 30);
    private final int warmup = Integer.getInteger("bench.warmup", 10);
    private final int connections = Integer.getInteger("bench.connections", 64);
    private final int starts = Integer.getInteger("bench.starts", 5);
    private final int eventRounds = Integer.getInteger("bench.events", 1000);
    private final int longPollClients = Integer.getInteger("bench.long-polls", 10_000);
    private final int sseStreams = Integer.getInteger("bench.sse-streams", 2_000);
    private final int loadRate = Integer.getInteger("bench.load-rate", 2000);
    private final int loadSeconds = Integer.getInteger("bench.load-seconds", 60);
    private final Path work = Path.of("target", "bench");
    /** Which parts to run, e.g. -Dbench.sections=load for the load test alone. */
    private final List<String> sections = List.of(System.getProperty("bench.sections", ALL_SECTIONS).split(","));
    private static final String ALL_SECTIONS = "images,startup,http,memory,events,client,fan-out,long-polls,sse,load";
    /** The native image joins when bench/run.sh built its executable (it does when a GraalVM or the toolchain is there). */
    private static final List<String> IMAGES = hasNativeExecutable()
            ? List.of("docker/Dockerfile.jvm", "docker/Dockerfile.jvm-aot", "docker/Dockerfile.native")
            : List.of("docker/Dockerfile.jvm", "docker/Dockerfile.jvm-aot");

    private static boolean hasNativeExecutable() {
        try (var files = java.nio.file.Files.list(Path.of("target"))) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith("-runner"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private RedisServer redis;
    private FakeKiteServer kite;
    private Map<String, String> environment;
    private ImageRoot image;
    /** What has been measured so far; written even when a later section fails. */
    private Report report;
    private int servicePort;

    public static void main(String[] args) throws Exception {
        Bench bench = new Bench();
        int status = 0;
        try {
            bench.run();
        } catch (Exception | AssertionError e) {
            e.printStackTrace();
            status = 1;
            if (bench.report != null) {
                bench.report.line("**The run stopped early:** " + e);
                bench.writeReport("-failed");
            }
        } finally {
            bench.stop();
        }
        // Vert.x and the fake Kite leave non-daemon threads behind.
        System.exit(status);
    }

    private void run() throws Exception {
        Browser.installCookieJar();
        Files.createDirectories(work);
        redis = RedisServer.start();
        servicePort = ServiceProcess.freePort();
        kite = new FakeKiteServer(API_KEY, KiteTestEnvironment.API_SECRET, URI.create("http://localhost:" + servicePort + "/callback"));
        environment = Map.ofEntries(
                Map.entry("KITE_API_KEY", API_KEY),
                Map.entry("KITE_API_SECRET", KiteTestEnvironment.API_SECRET),
                Map.entry("KITE_API_URL", kite.baseUrl()),
                Map.entry("KITE_LOGIN_URL", kite.baseUrl() + "/connect/login"),
                Map.entry("KITE_PUBLIC_URL", "http://localhost:" + servicePort),
                Map.entry("KITE_READER_TOKENS", READER),
                Map.entry("KITE_ADMIN_TOKENS", KiteTestEnvironment.ADMIN_TOKEN),
                Map.entry("KITE_ALLOWED_USER_IDS", KiteTestEnvironment.ALLOWED_USER),
                Map.entry("KITE_CHECK_INTERVAL", "off"),
                // Thousands of logins in a few minutes, all from this benchmark.
                Map.entry("KITE_EXCHANGES_PER_MINUTE", "1000000"),
                Map.entry("QUARKUS_REDIS_HOSTS", redis.url()));
        image = ImageRoot.build(DOCKERFILE, work.resolve("image"));
        report = new Report(environmentFacts());
        report.line("The service runs as `" + DOCKERFILE + "` runs it (its class archive made by its own RUN line, with this"
                + " machine's JDK of the image's version, " + image.javaHome() + "): `"
                + String.join(" ", image.jvmOptions()).replace(work.resolve("image").toAbsolutePath() + "/", "") + "`, "
                + image.environment().entrySet().stream().filter(e -> !e.getKey().equals("LANGUAGE"))
                        .map(e -> e.getKey() + "=" + e.getValue()).collect(java.util.stream.Collectors.joining(", ")) + ".");

        if (sections.contains("images")) {
            step("the JVM images side by side: " + starts + " start-ups each, then " + warmup + " + " + seconds + " s of GET /token each");
            RestAssured.port = servicePort;
            report.images(new ImageComparison(work.resolve("images"), servicePort, environment, AUTHORIZATION, this::logIn)
                    .run(IMAGES, starts, Duration.ofSeconds(warmup), Duration.ofSeconds(seconds), connections), connections, seconds, warmup);
        }

        if (sections.contains("startup")) {
            step("startup, " + starts + " times");
            long[] startups = new long[starts];
            for (int i = 0; i < starts; i++) {
                try (ServiceProcess once = launch("bench-start-" + i, ServiceProcess.freePort(), List.of())) {
                    startups[i] = once.readyAfter().toNanos();
                }
            }
            report.startup(new Percentiles(startups), startups);
        }

        if (sections.contains("memory")) {
            step("memory: Native Memory Tracking after " + warmup + " + " + seconds + " s of GET /token");
            // On the service's own port: the fake Kite sends the login back to it.
            RestAssured.port = servicePort;
            try (ServiceProcess tracked = launch("bench-memory", servicePort, List.of("-XX:NativeMemoryTracking=summary"))) {
                logIn();
                Wrk wrk = new Wrk(connections, 2);
                wrk.run("warm-up", tracked.url() + "/token", AUTHORIZATION, Duration.ofSeconds(warmup));
                wrk.run("load", tracked.url() + "/token", AUTHORIZATION, Duration.ofSeconds(seconds));
                report.nativeMemory(rssKb(tracked.pid()), NativeMemory.residentKb(tracked.pid()), NativeMemory.summary(tracked.pid()));
            }
        }

        // e.g. -Dbench.jvm-extra=-XX:StartFlightRecording=filename=target/bench/service.jfr,settings=profile
        List<String> extra = Arrays.stream(System.getProperty("bench.jvm-extra", "").split("\\s+")).filter(o -> !o.isBlank()).toList();
        try (ServiceProcess service = launch("bench-service", servicePort, extra);
                TokenEvents events = new TokenEvents(redis.url(), "kite:events:" + API_KEY)) {
            RestAssured.port = servicePort;
            String tokenId = logIn();
            String body = given().auth().oauth2(READER).accept("application/json").get("/token").asString();
            if (Boolean.getBoolean("bench.hold")) {
                System.out.println("bench: holding " + service.url() + " on " + redis.url() + " with token " + tokenId);
                Thread.sleep(Long.MAX_VALUE);
            }

            if (sections.contains("http")) {
                http(service, body, report);
            }
            if (sections.contains("events")) {
                step("event propagation, " + eventRounds + " rounds");
                report.events(new EventPropagation(service.url(), READER, events).run(eventRounds, this::logIn, kite::killSession));
            }
            if (sections.contains("client")) {
                step("the Java client: " + eventRounds + " re-logins followed by its ticker, then 30 s idle");
                report.client(new ClientFollowing(service.url(), READER, kite, API_KEY, events)
                        .run(eventRounds, Duration.ofSeconds(30), this::logIn));
            }
            if (sections.contains("fan-out")) {
                step("propagation to 3 replicas, " + eventRounds + " changes");
                // One replica first, the same way: what three replicas add is what sharing the cores costs.
                FanOut alone = new FanOut(List.of(service.url()), AUTHORIZATION, events, new CpuUse(List.of(service.pid())));
                alone.run(Math.min(100, eventRounds), logIn(), this::logIn);
                FanOut.Result oneReplica = alone.run(eventRounds, logIn(), this::logIn);
                try (ServiceProcess second = launch("bench-replica-2", ServiceProcess.freePort(), List.of());
                        ServiceProcess third = launch("bench-replica-3", ServiceProcess.freePort(), List.of())) {
                    FanOut fanOut = new FanOut(List.of(service.url(), second.url(), third.url()), AUTHORIZATION, events,
                            new CpuUse(List.of(service.pid(), second.pid(), third.pid())));
                    fanOut.run(Math.min(100, eventRounds), logIn(), this::logIn); // every replica's JIT warms up first
                    report.fanOut(oneReplica, fanOut.run(eventRounds, logIn(), this::logIn));
                }
            }
            if (sections.contains("long-polls")) {
                step(longPollClients + " long polls");
                long pid = service.pid();
                LongPolls longPolls = new LongPolls("localhost", servicePort, AUTHORIZATION, events, new CpuUse(List.of(pid)));
                List<LongPolls.Result> rounds = new ArrayList<>();
                Map<String, NativeMemory.Live> classesBefore = NativeMemory.classHistogram(pid);
                // Three token changes: the first one also warms this process' HTTP client up.
                for (int round = 0; round < 3; round++) {
                    rounds.add(longPolls.run(longPollClients, logIn(), () -> rssKb(pid), () -> NativeMemory.heapAfterGcKb(pid), this::logIn));
                }
                Map<String, NativeMemory.Live> classesAfter = NativeMemory.classHistogram(pid);
                // A woken wait's 60 s timeout is cancelled, not removed: look again once every deadline has passed.
                Waits.pause(61_000);
                long settledKb = NativeMemory.heapAfterGcKb(pid);
                report.longPolls(rounds, NativeMemory.growth(classesBefore, classesAfter, 6), settledKb,
                        NativeMemory.growth(classesBefore, NativeMemory.classHistogram(pid), 6));
            }
            if (sections.contains("sse")) {
                step(sseStreams + " event streams");
                long pid = service.pid();
                report.sse(new SseStreams("localhost", servicePort, AUTHORIZATION, events, new CpuUse(List.of(pid)))
                        .run(sseStreams, 3, () -> rssKb(pid), () -> NativeMemory.heapAfterGcKb(pid), this::logIn));
            }
            if (sections.contains("load")) {
                step("constant load: " + loadRate + " req/s for " + loadSeconds + " s, a login every 10 s");
                logIn();
                ConstantRateLoad load = new ConstantRateLoad("localhost", servicePort, AUTHORIZATION, events, this::logIn);
                // The generator's own JIT and connections warm up first (its first seconds lag behind the schedule).
                ConstantRateLoad.Result warm = load.run(loadRate, Duration.ofSeconds(warmup), Duration.ofSeconds(10), Duration.ofMillis(100));
                report.load(warm, load.run(loadRate, Duration.ofSeconds(loadSeconds), Duration.ofSeconds(10), Duration.ofMillis(100)));
            }
        }
        writeReport("");
    }

    /** wrk against GET /token, nginx with the same body, and /ping; then redis-benchmark and the RSS. */
    private void http(ServiceProcess service, String body, Report report) throws IOException {
        long rssIdle = rssKb(service.pid());
        step("warm-up " + warmup + " s");
        Wrk wrk = new Wrk(connections, 2);
        String tokenUrl = service.url() + "/token";
        String pingUrl = service.url() + "/ping";
        wrk.run("warm-up", tokenUrl, AUTHORIZATION, Duration.ofSeconds(warmup));
        wrk.run("warm-up", pingUrl, AUTHORIZATION, Duration.ofSeconds(Math.max(1, warmup / 2)));

        List<Wrk.Result> http = new ArrayList<>();
        step("GET /token, " + seconds + " s");
        CpuUse cpu = new CpuUse(List.of(service.pid()));
        CpuUse.Mark before = cpu.mark();
        http.add(wrk.run("GET /token (service)", tokenUrl, AUTHORIZATION, Duration.ofSeconds(seconds)));
        CpuUse.Used tokenCpu = cpu.since(before);
        long rssAfterLoad = rssKb(service.pid());
        step("nginx, " + seconds + " s");
        try (Nginx nginx = new Nginx(work.resolve("nginx"), ServiceProcess.freePort(), body)) {
            http.add(wrk.run("nginx, same body as a static file", nginx.url(), AUTHORIZATION, Duration.ofSeconds(seconds)));
        }
        step("GET /ping, " + seconds + " s");
        http.add(wrk.run("GET /ping (constant, same app)", pingUrl, AUTHORIZATION, Duration.ofSeconds(seconds)));
        // The same answer through Quarkus REST (a wait of 0 is left to TokenResource): what the fast path saves.
        step("GET /token?wait=0, " + seconds + " s");
        http.add(wrk.run("GET /token?wait=0 (same answer, through Quarkus REST)", tokenUrl + "?wait=0", AUTHORIZATION,
                Duration.ofSeconds(seconds)));
        report.http(http, tokenCpu, connections, seconds, warmup);

        step("redis-benchmark GET");
        report.redis(RedisBenchmark.get(redis.url(), "kite:access_token:" + API_KEY, connections, 30L * seconds * 1000));
        report.memory(rssIdle, rssAfterLoad);
    }

    private void writeReport(String note) throws IOException {
        String suffix = String.join(",", sections).equals(ALL_SECTIONS) ? "" : "-" + String.join("-", sections);
        Path results = Path.of("bench", "results", LocalDate.now() + suffix + note + ".md");
        Files.createDirectories(results.getParent());
        Files.writeString(results, report.markdown());
        System.out.println(report.markdown());
        System.out.println("bench: written to " + results);
    }

    private String logIn() {
        int status = Browser.logIn().statusCode();
        if (status != 200) {
            throw new IllegalStateException("login answered " + status);
        }
        return TokenIds.tokenId(kite.currentAccessToken());
    }

    private void stop() {
        if (kite != null) {
            kite.stop();
        }
        if (redis != null) {
            redis.stop();
        }
    }

    private static void step(String what) {
        System.out.println("bench: " + what);
    }

    /** The image's ENTRYPOINT, {@code extra} JVM options added (overriding the image's), with its ENV and the benchmark's settings. */
    private ServiceProcess launch(String name, int port, List<String> extra) {
        List<String> command = new ArrayList<>(image.entrypoint());
        command.addAll(command.indexOf("-jar"), extra); // after the image's options: the last of a flag wins
        Map<String, String> env = image.environment();
        env.putAll(environment);
        return ServiceProcess.launch(name, port, env, command, image.workdir());
    }

    static long rssKb(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(l -> l.startsWith("VmRSS:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
                    .findFirst().orElse(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    private static String environmentFacts() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.replaceFirst("model name\\s*:\\s*", "")).orElse(cpu);
        } catch (IOException e) {
            // not Linux: leave it unknown
        }
        return "%d cores (%s), %s, Java %s; %s; %s; %s".formatted(Runtime.getRuntime().availableProcessors(), cpu,
                System.getProperty("os.name"), System.getProperty("java.version"),
                firstLine("wrk", "-v"), firstLine("nginx", "-v"), firstLine("redis-server", "--version"));
    }

    private static String firstLine(String... command) {
        try {
            return Commands.output(List.of(command), "it is installed by bench/run.sh").lines().findFirst().orElse(command[0]).strip();
        } catch (IllegalStateException e) {
            return command[0] + " missing";
        }
    }
}
