package dev.kitetoken.support;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus' own checker (Debian's {@code prometheus} package; .ci/run installs it): lints scraped metrics and
 * runs the alerting rules' unit tests. Missing, it fails the test that needs it, saying so.
 */
public final class Promtool {

    /** What promtool said: its exit code and everything it printed. */
    public record Result(int exitCode, String output) {
    }

    private Promtool() {
    }

    public static Result run(String stdin, String... arguments) {
        List<String> command = new ArrayList<>(List.of(System.getProperty("promtool", "promtool")));
        command.addAll(List.of(arguments));
        try {
            Process promtool = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (OutputStream in = promtool.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!promtool.waitFor(60, TimeUnit.SECONDS)) {
                promtool.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within 60 s");
            }
            return new Result(promtool.exitValue(), output);
        } catch (IOException e) {
            throw new AssertionError("this test needs promtool (apt-get install prometheus), which is missing: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
