package dev.kitetoken;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** No feature package imports one that imports it back, directly or around a circle. */
class PackageDependenciesTest {

    private static final Path SOURCES = Path.of("src/main/java/dev/kitetoken");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?dev\\.kitetoken\\.([a-z]+)\\.", Pattern.MULTILINE);

    @Test
    void thePackagesFormNoCircle() throws IOException {
        Map<String, Set<String>> imports = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String from = SOURCES.relativize(file).getName(0).toString();
                Matcher imported = IMPORT.matcher(Files.readString(file));
                while (imported.find()) {
                    if (!imported.group(1).equals(from)) {
                        imports.computeIfAbsent(from, k -> new TreeSet<>()).add(imported.group(1));
                    }
                }
            }
        }
        List<String> circles = new ArrayList<>();
        for (String start : imports.keySet()) {
            findCircle(start, start, imports, new ArrayList<>(List.of(start)), new HashSet<>(), circles);
        }
        assertThat(circles).as("package imports %s", imports).isEmpty();
    }

    private static void findCircle(String start, String at, Map<String, Set<String>> imports, List<String> path, Set<String> seen,
            List<String> circles) {
        for (String next : imports.getOrDefault(at, Set.of())) {
            if (next.equals(start)) {
                circles.add(String.join(" -> ", path) + " -> " + start);
            } else if (seen.add(next)) {
                path.add(next);
                findCircle(start, next, imports, path, seen, circles);
                path.remove(path.size() - 1);
            }
        }
    }

}
