package dev.kitetoken.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Files under target/test-logs that outlive class loaders and application restarts: every secret the
 * fake Kite handed out or received, and every response body the tests saw. {@code SecretLeakTest} checks
 * that no secret appears in any response body or in the service's log.
 */
public final class SecretLedger {

    public static final Path DIR = Path.of("target", "test-logs");
    public static final Path SECRETS = DIR.resolve("secrets.txt");
    public static final Path RESPONSES = DIR.resolve("responses.txt");
    public static final Path SERVICE_LOG = DIR.resolve("quarkus.log");

    private SecretLedger() {
    }

    public static synchronized void record(String secret) {
        append(SECRETS, secret + "\n");
    }

    public static synchronized void recordResponse(String description, String body) {
        append(RESPONSES, "=== " + description + "\n" + body + "\n");
    }

    public static List<String> secrets() {
        return read(SECRETS).lines().filter(s -> s.length() >= 8).distinct().toList();
    }

    /** Every log the service wrote in this run: the @QuarkusTest application's and each replica's. */
    public static String serviceLogs() {
        if (!Files.isDirectory(DIR)) {
            return "";
        }
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(f -> f.getFileName().toString().matches(".*\\.(log|out)(\\.\\d+)?"))
                    .sorted().map(SecretLedger::read).collect(Collectors.joining("\n"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void append(Path file, String text) {
        try {
            Files.createDirectories(DIR);
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
