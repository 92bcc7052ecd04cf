package dev.kitetoken.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * How to launch what this build packaged, as target/quarkus-artifact.properties (written by Quarkus at
 * package time) names it: the native executable of {@code ./mvnw verify -Dnative}, or the jar. A runner
 * left in target/ by an older native build is never picked up instead.
 */
public final class PackagedApp {

    private static final Path TARGET = Path.of("target");
    private static final Path ARTIFACT = TARGET.resolve("quarkus-artifact.properties");

    private PackagedApp() {
    }

    public static boolean isNative() {
        return "native".equals(artifact().getProperty("type"));
    }

    /** The packaged artifact, as Quarkus recorded it. */
    public static Path path() {
        Path path = TARGET.resolve(artifact().getProperty("path"));
        if (!Files.exists(path)) {
            throw new IllegalStateException(ARTIFACT + " names " + path + ", which does not exist: run ./mvnw package");
        }
        return path;
    }

    /** The command line, with these JVM-only options used when it is the jar. */
    public static List<String> command(String... jvmOptions) {
        if (isNative()) {
            return List.of(path().toAbsolutePath().toString());
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.add("-jar");
        command.add(path().toString());
        return command;
    }

    private static Properties artifact() {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(ARTIFACT)) {
            properties.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("no " + ARTIFACT + ": the packaged tests need ./mvnw package first", e);
        }
        if (properties.getProperty("type") == null || properties.getProperty("path") == null) {
            throw new IllegalStateException(ARTIFACT + " names no artifact");
        }
        return properties;
    }
}
