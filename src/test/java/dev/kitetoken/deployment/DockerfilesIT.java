package dev.kitetoken.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.kitetoken.support.PackagedApp;

/**
 * What can be checked of the Dockerfiles without a Docker engine: after ./mvnw package, every file they
 * COPY from the build context exists, and the images run as a non-root user.
 */
class DockerfilesIT {

    @ParameterizedTest
    @ValueSource(strings = { "docker/Dockerfile.jvm", "docker/Dockerfile.native" })
    void everyCopiedFileExistsAndTheImageRunsAsNonRoot(String dockerfile) throws IOException {
        // A native build (-Dnative) makes no jar, so the JVM image has nothing to copy.
        assumeFalse(PackagedApp.isNative() && dockerfile.endsWith(".jvm"), "the JVM image needs the jar build");
        List<String> lines = Files.readAllLines(Path.of(dockerfile));
        List<String> sources = new ArrayList<>();
        for (String line : lines) {
            String[] words = line.strip().split("\\s+");
            if (words.length >= 3 && words[0].equalsIgnoreCase("COPY") && Stream.of(words).noneMatch(w -> w.startsWith("--from="))) {
                Stream.of(words).skip(1).filter(w -> !w.startsWith("--")).limit(countSources(words)).forEach(sources::add);
            }
        }
        assertThat(sources).as("%s copies something", dockerfile).isNotEmpty();
        for (String source : sources) {
            assertThat(matches(source)).as("%s: COPY %s", dockerfile, source).isNotEmpty();
        }
        String lastUser = lines.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b).orElse("USER root");
        assertThat(lastUser).as(dockerfile).isNotIn("USER root", "USER 0");
    }

    private static long countSources(String[] words) {
        return Stream.of(words).skip(1).filter(w -> !w.startsWith("--")).count() - 1;
    }

    private static List<Path> matches(String source) throws IOException {
        Path path = Path.of(source);
        if (!source.contains("*")) {
            return Files.exists(path) ? List.of(path) : List.of();
        }
        String glob = "glob:" + source;
        var matcher = path.getFileSystem().getPathMatcher(glob);
        Path dir = path.getParent() == null ? Path.of(".") : path.getParent();
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(matcher::matches).toList();
        }
    }
}
