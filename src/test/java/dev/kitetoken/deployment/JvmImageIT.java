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
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kitetoken.support.Browser;
import dev.kitetoken.support.FakeKiteServer;
import dev.kitetoken.support.KiteTestEnvironment;
import dev.kitetoken.support.Dockerfile;
import dev.kitetoken.support.PackagedApp;
import dev.kitetoken.support.RedisServer;
import dev.kitetoken.support.ServiceProcess;

/**
 * What docker/Dockerfile.jvm does, done here without a Docker engine: its COPY lines fill an image root,
 * its RUN lines run there (making the AppCDS archive), and its ENTRYPOINT runs verbatim with this
 * machine's JDK in place of the image's, with the image's ENV. The service must start, serve a login, run
 * with the heap, collector and CPU count of the command line, and load its classes from the archive.
 * A flag the JVM refuses (two collectors, say) fails it.
 */
class JvmImageIT {

    private static final Path DOCKERFILE = Path.of("docker/Dockerfile.jvm");
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @TempDir
    Path image;

    @Test
    void theImageCommandLineServesWithItsFlagsAndItsClassArchive() throws Exception {
        assumeFalse(PackagedApp.isNative(), "a native build makes no jar for the JVM image");
        Dockerfile dockerfile = Dockerfile.parse(DOCKERFILE);
        for (Dockerfile.Copy copy : dockerfile.copiesFromContext()) {
            copyIntoImage(copy);
        }
        Path workdir = inImage(dockerfile.workdir());
        Map<String, String> environment = new HashMap<>(dockerfile.environment());

        for (List<String> run : dockerfile.runs()) {
            Result result = run(localised(run), workdir, environment);
            assertThat(result.exitCode()).as("RUN %s exited %d:%n%s", run, result.exitCode(), result.tail()).isZero();
        }
        List<String> entrypoint = localised(dockerfile.entrypoint());
        Path archive = Path.of(option(entrypoint, "-XX:SharedArchiveFile="));
        assertThat(archive).as("the archive the ENTRYPOINT maps").isNotEmptyFile();

        RedisServer redis = RedisServer.start();
        int port = ServiceProcess.freePort();
        FakeKiteServer kite = new FakeKiteServer(KiteTestEnvironment.API_KEY, KiteTestEnvironment.API_SECRET,
                URI.create("http://localhost:" + port + "/callback"));
        Path classLoading = image.resolve("class-load.log");
        environment.putAll(KiteTestEnvironment.replica(kite, port, redis.url()));
        // Adds a log of where each class came from; the JVM reads this variable before the command line.
        environment.put("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + classLoading);
        try (ServiceProcess service = ServiceProcess.launch("jvm-image", port, environment, entrypoint, workdir)) {
            URI callback = Browser.callbackAfterLogin(service.url());
            given().urlEncodingEnabled(false).accept("application/json").get(callback)
                    .then().statusCode(200);
            given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).accept("text/plain").get(service.url() + "/token")
                    .then().statusCode(200).body(equalTo(kite.currentAccessToken()));

            String flags = jcmd(service.pid(), "VM.flags");
            assertThat(flags).contains("-XX:MaxHeapSize=" + bytes(option(entrypoint, "-Xmx")))
                    .contains("-XX:InitialHeapSize=" + bytes(option(entrypoint, "-Xms")))
                    .contains("-XX:+UseSerialGC")
                    .contains("-XX:ActiveProcessorCount=" + option(entrypoint, "-XX:ActiveProcessorCount="));
            long fromArchive;
            try (Stream<String> lines = Files.lines(classLoading)) {
                fromArchive = lines.filter(line -> line.contains("source: shared objects file (top)")).count();
            }
            assertThat(fromArchive).as("classes loaded from the image's AppCDS archive").isGreaterThan(1_000);
        } finally {
            kite.stop();
            redis.stop();
        }
    }

    /** The image's paths under this test's image root, and this machine's java for the image's. */
    private List<String> localised(List<String> command) {
        List<String> local = new ArrayList<>();
        for (String argument : command) {
            local.add(local.isEmpty() && argument.equals("java") ? JAVA : argument.replace("/deployments", inImage("/deployments").toString()));
        }
        return local;
    }

    private Path inImage(String absolutePath) {
        return image.resolve(absolutePath.substring(1));
    }

    private void copyIntoImage(Dockerfile.Copy copy) throws IOException {
        Path destination = inImage(copy.destination());
        Files.createDirectories(destination);
        for (String source : copy.sources()) {
            Path from = Path.of(source);
            List<Path> matches;
            if (source.contains("*")) {
                var matcher = from.getFileSystem().getPathMatcher("glob:" + source);
                try (Stream<Path> files = Files.list(from.getParent())) {
                    matches = files.filter(matcher::matches).toList();
                }
            } else {
                matches = List.of(from);
            }
            assertThat(matches).as("COPY %s", source).isNotEmpty();
            for (Path match : matches) {
                if (Files.isDirectory(match)) {
                    copyTree(match, destination);
                } else {
                    Files.copy(match, destination.resolve(match.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static String option(List<String> command, String prefix) {
        return command.stream().filter(a -> a.startsWith(prefix)).map(a -> a.substring(prefix.length())).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("the ENTRYPOINT has no " + prefix));
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

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid), command)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(30, TimeUnit.SECONDS);
        return output;
    }

    private static Result run(List<String> command, Path directory, Map<String, String> environment) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(key -> key.startsWith("KITE_") || key.startsWith("QUARKUS_"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not end within 120 s");
        }
        return new Result(process.exitValue(), output);
    }

    private record Result(int exitCode, String output) {
        String tail() {
            List<String> lines = output.lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        }
    }
}
