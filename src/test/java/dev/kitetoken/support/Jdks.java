package dev.kitetoken.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The JDKs of this machine beside the one running the tests (see the env notes: a Temurin 25 beside OpenJDK 17). */
public final class Jdks {

    private Jdks() {
    }

    /** JAVA25_HOME, or the newest /usr/lib/jvm/temurin-25-*; a clear failure when neither exists. */
    public static Path java25() {
        String configured = System.getenv("JAVA25_HOME");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        try (Stream<Path> jdks = Files.list(Path.of("/usr/lib/jvm"))) {
            return jdks.filter(dir -> dir.getFileName().toString().startsWith("temurin-25"))
                    .filter(dir -> Files.isExecutable(dir.resolve("bin/java")))
                    .max(Comparator.naturalOrder())
                    .orElseThrow(() -> new AssertionError("no Temurin 25 JDK: set JAVA25_HOME or install one under /usr/lib/jvm"));
        } catch (IOException e) {
            throw new AssertionError("cannot list /usr/lib/jvm for a Temurin 25 JDK", e);
        }
    }

    public static String java(Path home) {
        return home.resolve("bin/java").toString();
    }

    public static String jcmd(Path home) {
        return home.resolve("bin/jcmd").toString();
    }
}
