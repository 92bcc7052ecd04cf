package dev.kitetoken.deployment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kitetoken.support.Browser;
import dev.kitetoken.support.Dockerfile;
import dev.kitetoken.support.FakeKiteServer;
import dev.kitetoken.support.KiteTestEnvironment;
import dev.kitetoken.support.NativeImageRoot;
import dev.kitetoken.support.PackagedApp;
import dev.kitetoken.support.RedisServer;
import dev.kitetoken.support.ServiceProcess;

/**
 * What docker/Dockerfile.native's runtime stage does, done here without a Docker engine on the executable this
 * build made (./mvnw verify -Dnative): its COPY --from=build puts the runner at its place with its mode, and its
 * ENTRYPOINT runs verbatim from its WORKDIR; the service must accept every flag, listen on all interfaces, and
 * serve a login. The builder stage is of the generation the executable was built and tested with.
 */
class NativeImageIT {

    private static final Path DOCKERFILE = Path.of("docker/Dockerfile.native");

    @TempDir
    Path root;

    @Test
    void theRuntimeStageServesWithItsCommandLine() throws Exception {
        assumeTrue(PackagedApp.isNative(), "the native image's stage runs the native executable (./mvnw verify -Dnative)");
        NativeImageRoot image = NativeImageRoot.build(DOCKERFILE, root);
        Dockerfile dockerfile = image.dockerfile();
        assertThat(dockerfile.user()).isNotIn("root", "0");
        assertThat(Files.getPosixFilePermissions(image.executable())).as("the COPY's --chmod")
                .isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> entrypoint = image.entrypoint();
        Path workdir = image.workdir();
        assertThat(workdir.resolve(entrypoint.get(0)).normalize()).as("the ENTRYPOINT runs what was copied").isEqualTo(image.executable());

        RedisServer redis = RedisServer.start();
        int port = ServiceProcess.freePort();
        FakeKiteServer kite = new FakeKiteServer(KiteTestEnvironment.API_KEY, KiteTestEnvironment.API_SECRET,
                URI.create("http://localhost:" + port + "/callback"));
        try (ServiceProcess service = ServiceProcess.launch("native-image", port, KiteTestEnvironment.replica(kite, port, redis.url()),
                entrypoint, workdir)) {
            URI callback = Browser.callbackAfterLogin(service.url());
            given().urlEncodingEnabled(false).accept("application/json").get(callback).then().statusCode(200);
            given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).accept("text/plain").get(service.url() + "/token")
                    .then().statusCode(200).body(equalTo(kite.currentAccessToken()));
            assertThat(service.consoleOutput()).as("-Dquarkus.http.host=0.0.0.0 of the ENTRYPOINT").contains("http://0.0.0.0:" + port);
            given().get("http://127.0.0.2:" + port + "/ping").then().statusCode(200);
        } finally {
            kite.stop();
            redis.stop();
        }
    }

    @Test
    void theImageExposesTheServicePortsAndBuildsWithTheTestedGeneration() throws IOException {
        Dockerfile dockerfile = Dockerfile.parse(DOCKERFILE);
        Properties application = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            application.load(in);
        }
        assertThat(dockerfile.exposed()).containsExactlyInAnyOrder(Integer.valueOf(application.getProperty("quarkus.http.port")),
                Integer.valueOf(application.getProperty("quarkus.management.port")));
        String builder = dockerfile.fromOf(dockerfile.copiesFromStages().get(0).stage());
        assertThat(builder).as("the shipped builder is Quarkus' Mandrel builder image").startsWith("quay.io/quarkus/ubi9-quarkus-mandrel-builder-image:jdk-");
        // The generation the executable tested here was built with, as Quarkus recorded it at package time.
        Properties artifact = new Properties();
        Path recorded = Path.of("target/quarkus-artifact.properties");
        if (PackagedApp.isNative()) {
            try (InputStream in = Files.newInputStream(recorded)) {
                artifact.load(in);
            }
            assertThat(builder).as("what ships is built by the JDK generation that built what was tested")
                    .endsWith(":jdk-" + artifact.getProperty("metadata.graalvm.version.java"));
        } else {
            assertThat(builder).as("GraalVM 25 builds the executable .ci/run tests").endsWith(":jdk-25");
        }
        assertThat(Files.readString(DOCKERFILE)).as("a failing dependency step must fail the build").doesNotContain("|| true");
    }
}
