package dev.kitetoken.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import dev.kitetoken.support.Browser;
import dev.kitetoken.support.FakeKiteServer;
import dev.kitetoken.support.KiteTestEnvironment;
import dev.kitetoken.support.RedisServer;
import dev.kitetoken.support.ServiceProcess;

/**
 * The sidecar of k8s/examples/trading-pod.yaml, run as it stands there (its shell script, its environment,
 * its startup probe) against the packaged service, with a temporary directory where the pod mounts its
 * in-memory volume and the service's local URL where the pod names the service by DNS.
 */
class TradingPodSidecarIT {

    private static final Path EXAMPLE = Path.of("k8s/examples/trading-pod.yaml");
    private static final Duration SOON = Duration.ofSeconds(10);

    private RedisServer redis;
    private FakeKiteServer kite;
    private ServiceProcess service;
    private Process sidecar;
    private Path volume;
    private Path tokenFile;
    private Sidecar spec;

    @BeforeEach
    void start() throws IOException {
        Browser.installCookieJar();
        redis = RedisServer.start();
        int port = ServiceProcess.freePort();
        kite = new FakeKiteServer(KiteTestEnvironment.API_KEY, KiteTestEnvironment.API_SECRET,
                URI.create("http://localhost:" + port + "/callback"));
        service = ServiceProcess.start("sidecar-service", port, KiteTestEnvironment.replica(kite, port, redis.url()));
        volume = Files.createTempDirectory("kite-volume-");
        spec = Sidecar.fromExample();
        tokenFile = volume.resolve(Path.of(spec.mountPath()).relativize(Path.of("/kite/access_token")));
        sidecar = spec.run(volume, service.url() + "/token");
    }

    @AfterEach
    void stop() throws IOException {
        if (sidecar != null) {
            sidecar.descendants().forEach(ProcessHandle::destroyForcibly);
            sidecar.destroyForcibly();
        }
        service.close();
        kite.stop();
        redis.stop();
        try (var files = Files.walk(volume)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Test
    void theTradingContainerStartsOnlyOnceTheFirstTokenIsOnFile() throws Exception {
        Thread.sleep(2_000);
        assertThat(spec.startupProbePasses(volume)).as("no token yet: the trading container waits").isFalse();
        assertThat(sidecar.isAlive()).isTrue();

        logIn();
        String token = kite.currentAccessToken();
        Awaitility.await().atMost(SOON).until(() -> spec.startupProbePasses(volume));
        assertThat(Files.readString(tokenFile)).isEqualTo(token);
    }

    @Test
    void aReLoginReplacesTheFileAtomicallyALogoutEmptiesItAndAnOutageKeepsTheLastToken() throws Exception {
        logIn();
        Set<String> issued = ConcurrentHashMap.newKeySet();
        issued.add(kite.currentAccessToken());
        Awaitility.await().atMost(SOON).until(() -> issued.contains(read()));

        // A trading container reading all the while: every read is a whole token that Kite issued. Judged once
        // every login has returned: the sidecar may write a new token before its login's answer reaches us.
        AtomicBoolean reading = new AtomicBoolean(true);
        Set<String> seenNotYetIssued = ConcurrentHashMap.newKeySet();
        Thread reader = new Thread(() -> {
            while (reading.get()) {
                String seen = read();
                if (!issued.contains(seen) && seenNotYetIssued.size() < 100) {
                    seenNotYetIssued.add(seen);
                }
            }
        });
        reader.start();
        for (int i = 0; i < 5; i++) {
            logIn();
            String next = kite.currentAccessToken();
            issued.add(next);
            Awaitility.await().atMost(SOON).until(() -> next.equals(read()));
        }
        reading.set(false);
        reader.join();
        List<String> torn = seenNotYetIssued.stream().filter(seen -> !issued.contains(seen)).toList();
        assertThat(torn).as("reads that were not a whole issued token").isEmpty();

        given().auth().oauth2(KiteTestEnvironment.ADMIN_TOKEN).delete(service.url() + "/token").then().statusCode(200);
        Awaitility.await().atMost(SOON).until(() -> Files.size(tokenFile) == 0);

        logIn();
        String last = kite.currentAccessToken();
        Awaitility.await().atMost(SOON).until(() -> last.equals(read()));
        service.kill();
        Thread.sleep(5_000);
        assertThat(read()).as("the service is gone: the last token stays").isEqualTo(last);
        assertThat(sidecar.isAlive()).isTrue();
    }

    private void logIn() {
        URI callback = Browser.callbackAfterLogin(service.url());
        given().urlEncodingEnabled(false).accept("application/json").get(callback).then().statusCode(200);
    }

    /** The file as the trading container reads it; "" while it does not exist. */
    private String read() {
        try {
            return Files.readString(tokenFile);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The sidecar container of the example pod: its command, environment, volume mount and startup probe. */
    record Sidecar(List<String> command, Map<String, String> env, String mountPath, List<String> probe) {

        @SuppressWarnings("unchecked")
        static Sidecar fromExample() throws IOException {
            Map<String, Object> pod = null;
            for (Object document : new Yaml().loadAll(Files.readString(EXAMPLE))) {
                Map<String, Object> doc = (Map<String, Object>) document;
                if ("trading-bot-with-sidecar".equals(((Map<String, Object>) doc.get("metadata")).get("name"))) {
                    pod = doc;
                }
            }
            assertThat(pod).as("the example's sidecar pod").isNotNull();
            Map<String, Object> podSpec = (Map<String, Object>) pod.get("spec");
            Map<String, Object> container = ((List<Map<String, Object>>) podSpec.get("initContainers")).stream()
                    .filter(c -> "kite-token-sidecar".equals(c.get("name"))).findFirst().orElseThrow();
            assertThat(container.get("restartPolicy")).as("a native sidecar: it keeps running beside the trading container")
                    .isEqualTo("Always");
            List<String> command = new ArrayList<>((List<String>) container.get("command"));
            command.addAll((List<String>) container.get("args"));
            Map<String, String> env = new HashMap<>();
            for (Map<String, Object> variable : (List<Map<String, Object>>) container.get("env")) {
                env.put((String) variable.get("name"), variable.get("value") == null ? null : variable.get("value").toString());
            }
            String mountPath = (String) ((List<Map<String, Object>>) container.get("volumeMounts")).get(0).get("mountPath");
            List<String> probe = (List<String>) ((Map<String, Object>) ((Map<String, Object>) container.get("startupProbe"))
                    .get("exec")).get("command");
            return new Sidecar(command, env, mountPath, probe);
        }

        /** Runs the script with the pod's environment; the volume and the service's URL stand in for the cluster's. */
        Process run(Path volume, String tokenUrl) throws IOException {
            assertThat(env.get("KITE_TOKEN_URL")).as("the example's URL").endsWith(".svc.cluster.local/token");
            assertThat(env.get("KITE_TOKEN_DIR")).isEqualTo(mountPath);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(volume.resolveSibling(volume.getFileName() + ".sidecar.log").toFile());
            Map<String, String> environment = builder.environment();
            env.forEach((name, value) -> {
                if (value != null) {
                    environment.put(name, value);
                }
            });
            environment.put("KITE_TOKEN_URL", tokenUrl);
            environment.put("KITE_TOKEN_DIR", volume.toString());
            environment.put("READER_SECRET", KiteTestEnvironment.READER_TOKEN);
            return builder.start();
        }

        /** The startup probe's command, with the volume where the pod mounts it. */
        boolean startupProbePasses(Path volume) throws IOException, InterruptedException {
            List<String> local = probe.stream().map(arg -> arg.startsWith(mountPath) ? volume + arg.substring(mountPath.length()) : arg)
                    .toList();
            Process check = new ProcessBuilder(local).redirectErrorStream(true).start();
            return check.waitFor(10, TimeUnit.SECONDS) && check.exitValue() == 0;
        }
    }
}
