package dev.kitetoken.deployment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.kitetoken.support.Browser;
import dev.kitetoken.support.FakeKiteServer;
import dev.kitetoken.support.ImageRoot;
import dev.kitetoken.support.Jdks;
import dev.kitetoken.support.KiteTestEnvironment;
import dev.kitetoken.support.PackagedApp;
import dev.kitetoken.support.RedisServer;
import dev.kitetoken.support.ServiceProcess;

/**
 * What each JVM image does (docker/Dockerfile.jvm on Java 17 with AppCDS, docker/Dockerfile.jvm-aot on Java
 * 25 with an AOT cache), done here without a Docker engine ({@link ImageRoot}): its ENTRYPOINT runs verbatim
 * with this machine's JDK of the image's version, with the image's ENV. The service must start, serve a login, run
 * with the heap, collector and CPU count of the command line, and load its classes from the archive.
 * A flag the JVM refuses (two collectors, say) fails it.
 */
class JvmImageIT {

    @TempDir
    Path root;

    @ParameterizedTest
    @ValueSource(strings = { "docker/Dockerfile.jvm", "docker/Dockerfile.jvm-aot" })
    void theImageCommandLineServesWithItsFlagsAndItsClassArchive(String path) throws Exception {
        assumeFalse(PackagedApp.isNative(), "a native build makes no jar for the JVM image");
        ImageRoot image = ImageRoot.build(Path.of(path), root);
        List<String> entrypoint = image.entrypoint();
        Path archive = Path.of(image.option("-XX:AOTCache=").or(() -> image.option("-XX:SharedArchiveFile="))
                .orElseThrow(() -> new AssertionError(path + ": the ENTRYPOINT maps no class archive")));
        assertThat(archive).as("the archive the ENTRYPOINT maps").isNotEmptyFile();

        RedisServer redis = RedisServer.start();
        int port = ServiceProcess.freePort();
        FakeKiteServer kite = new FakeKiteServer(KiteTestEnvironment.API_KEY, KiteTestEnvironment.API_SECRET,
                URI.create("http://localhost:" + port + "/callback"));
        Path classLoading = root.resolve("class-load.log");
        Map<String, String> environment = image.environment();
        environment.putAll(KiteTestEnvironment.replica(kite, port, redis.url()));
        // Adds a log of where each class came from; the JVM reads this variable before the command line.
        environment.put("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + classLoading);
        try (ServiceProcess service = ServiceProcess.launch("jvm-image", port, environment, entrypoint, image.workdir())) {
            URI callback = Browser.callbackAfterLogin(service.url());
            given().urlEncodingEnabled(false).accept("application/json").get(callback)
                    .then().statusCode(200);
            given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).accept("text/plain").get(service.url() + "/token")
                    .then().statusCode(200).body(equalTo(kite.currentAccessToken()));

            String flags = jcmd(image.javaHome(), service.pid(), "VM.flags");
            assertThat(flags).contains("-XX:MaxHeapSize=" + bytes(option(image, "-Xmx")))
                    .contains("-XX:InitialHeapSize=" + bytes(option(image, "-Xms")))
                    .contains("-XX:+UseSerialGC")
                    .contains("-XX:ActiveProcessorCount=" + option(image, "-XX:ActiveProcessorCount="));
            long fromArchive;
            try (Stream<String> lines = Files.lines(classLoading)) {
                fromArchive = lines.filter(line -> line.contains("source: shared objects file")).count();
            }
            assertThat(fromArchive).as("classes loaded from the image's class archive (AppCDS or AOT cache)").isGreaterThan(1_000);
        } finally {
            kite.stop();
            redis.stop();
        }
    }

    private static String option(ImageRoot image, String prefix) {
        return image.option(prefix).orElseThrow(() -> new AssertionError("the ENTRYPOINT has no " + prefix));
    }

    private static long bytes(String size) {
        long unit = switch (Character.toLowerCase(size.charAt(size.length() - 1))) {
            case 'k' -> 1024L;
            case 'm' -> 1024L * 1024;
            case 'g' -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        return Long.parseLong(unit == 1 ? size : size.substring(0, size.length() - 1)) * unit;
    }

    private static String jcmd(Path javaHome, long pid, String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(Jdks.jcmd(javaHome), Long.toString(pid), command)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(30, TimeUnit.SECONDS);
        return output;
    }
}
