package dev.kitetoken.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The external tools of the benchmark (wrk, redis-benchmark, version probes), run to completion. */
final class Commands {

    private Commands() {
    }

    /** Runs the command and answers what it printed, stdout and stderr together. */
    static String output(List<String> command, String installHint) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor();
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + command.get(0) + " (" + installHint + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
