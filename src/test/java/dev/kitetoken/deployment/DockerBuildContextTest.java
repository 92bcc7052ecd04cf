package dev.kitetoken.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import dev.kitetoken.support.Dockerfile;

/**
 * What {@code docker build .} would send: the build context that .dockerignore leaves, computed with
 * Docker's rules (patterns in order, the last match wins, a pattern matching a parent directory matches
 * what is inside it, {@code !} re-includes). And the compose file publishes nothing beyond this machine.
 */
class DockerBuildContextTest {

    private static final List<String> DOCKERFILES = List.of("docker/Dockerfile.jvm", "docker/Dockerfile.jvm-aot", "docker/Dockerfile.native");

    @Test
    void secretsLogsAndHistoryStayOutOfTheBuildContext() throws IOException {
        DockerIgnore ignore = DockerIgnore.read(Path.of(".dockerignore"));
        for (String path : List.of(".env", ".env.local", ".git/config", "target/test-logs/quarkus.log", "src/test/java/Any.java",
                "target/quarkus-app/../../.env", "k8s/base/secret.yaml", "README.md")) {
            assertThat(ignore.sends(path)).as("the build context holds %s", path).isFalse();
        }
    }

    @Test
    void everythingTheDockerfilesCopyIsInTheBuildContext() throws IOException {
        DockerIgnore ignore = DockerIgnore.read(Path.of(".dockerignore"));
        for (String path : DOCKERFILES) {
            for (Dockerfile.Copy copy : Dockerfile.parse(Path.of(path)).copiesFromContext()) {
                for (String source : copy.sources()) {
                    assertThat(sentUnder(ignore, source)).as("%s: COPY %s finds files in the build context", path, source).isTrue();
                }
            }
        }
        assertThat(ignore.sends(".mvn/wrapper/maven-wrapper.properties")).isTrue();
        assertThat(ignore.sends("src/main/java/dev/kitetoken/Any.java")).isTrue();
    }

    @Test
    void composePublishesPortsOnThisMachineOnly() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(Path.of("docker/compose.yaml")));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        List<String> published = new ArrayList<>();
        services.forEach((name, service) -> {
            @SuppressWarnings("unchecked")
            List<Object> ports = (List<Object>) service.getOrDefault("ports", List.of());
            ports.forEach(port -> published.add(name + " " + port));
        });
        assertThat(published).isNotEmpty().allSatisfy(port -> assertThat(port).matches("\\S+ 127\\.0\\.0\\.1:\\d+:\\d+"));
    }

    /** Whether a file under this COPY source reaches the builder: files of the tree if it exists, else a made-up one. */
    private static boolean sentUnder(DockerIgnore ignore, String source) throws IOException {
        Path path = Path.of(source.replace("*", "quarkus-run"));
        if (Files.isRegularFile(path)) {
            return ignore.sends(path.toString());
        }
        if (Files.isDirectory(path)) {
            try (Stream<Path> files = Files.walk(path)) {
                return files.filter(Files::isRegularFile).anyMatch(file -> ignore.sends(file.toString()));
            }
        }
        // target/ before ./mvnw package: judge by the path alone.
        return ignore.sends(path.toString()) || ignore.sends(path.resolve("some-file").toString());
    }

    /** .dockerignore, matched as Docker's client matches it. */
    record DockerIgnore(List<Pattern> patterns, List<Boolean> reincludes) {

        static DockerIgnore read(Path file) throws IOException {
            List<Pattern> patterns = new ArrayList<>();
            List<Boolean> reincludes = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                String pattern = line.strip();
                if (pattern.isEmpty() || pattern.startsWith("#")) {
                    continue;
                }
                boolean reinclude = pattern.startsWith("!");
                pattern = Path.of(reinclude ? pattern.substring(1) : pattern).normalize().toString().replaceFirst("^/", "");
                patterns.add(Pattern.compile(regex(pattern)));
                reincludes.add(reinclude);
            }
            return new DockerIgnore(patterns, reincludes);
        }

        /** Whether a file at this path (relative to the context's root) is sent to the builder. */
        boolean sends(String path) {
            String normalized = Path.of(path).normalize().toString();
            if (normalized.startsWith("..")) {
                return false;
            }
            boolean excluded = false;
            for (int i = 0; i < patterns.size(); i++) {
                if (matchesItOrAParent(patterns.get(i), normalized)) {
                    excluded = !reincludes.get(i);
                }
            }
            return !excluded;
        }

        private static boolean matchesItOrAParent(Pattern pattern, String path) {
            for (String prefix = path; prefix != null; prefix = prefix.contains("/") ? prefix.substring(0, prefix.lastIndexOf('/')) : null) {
                if (pattern.matcher(prefix).matches()) {
                    return true;
                }
            }
            return false;
        }

        private static String regex(String glob) {
            StringBuilder regex = new StringBuilder();
            for (int i = 0; i < glob.length(); i++) {
                char c = glob.charAt(i);
                if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    regex.append(".*");
                    i++;
                } else if (c == '*') {
                    regex.append("[^/]*");
                } else if (c == '?') {
                    regex.append("[^/]");
                } else {
                    regex.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return regex.toString();
        }
    }
}
