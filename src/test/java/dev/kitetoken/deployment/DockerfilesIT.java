package dev.kitetoken.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.kitetoken.support.Dockerfile;
import dev.kitetoken.support.PackagedApp;

/**
 * What can be checked of both Dockerfiles without a Docker engine: after ./mvnw package, every file they
 * COPY from the build context exists, and the images run as a non-root user. JvmImageIT runs the JVM
 * image's commands.
 */
class DockerfilesIT {

    @ParameterizedTest
    @ValueSource(strings = { "docker/Dockerfile.jvm", "docker/Dockerfile.jvm-aot", "docker/Dockerfile.native" })
    void everyCopiedFileExistsAndTheImageRunsAsNonRoot(String path) throws IOException {
        // A native build (-Dnative) makes no jar, so the JVM image has nothing to copy.
        assumeFalse(PackagedApp.isNative() && path.contains(".jvm"), "the JVM image needs the jar build");
        Dockerfile dockerfile = Dockerfile.parse(Path.of(path));
        List<String> sources = dockerfile.copiesFromContext().stream().flatMap(copy -> copy.sources().stream()).toList();
        assertThat(sources).as("%s copies something", path).isNotEmpty();
        for (String source : sources) {
            assertThat(matches(source)).as("%s: COPY %s", path, source).isNotEmpty();
        }
        assertThat(dockerfile.user()).as(path).isNotIn("root", "0");
    }

    private static List<Path> matches(String source) throws IOException {
        Path path = Path.of(source);
        if (!source.contains("*")) {
            return Files.exists(path) ? List.of(path) : List.of();
        }
        var matcher = path.getFileSystem().getPathMatcher("glob:" + source);
        Path dir = path.getParent() == null ? Path.of(".") : path.getParent();
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(matcher::matches).toList();
        }
    }
}
