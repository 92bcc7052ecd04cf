package dev.kitetoken.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs wrk against one URL with the bench's settings and reads bench/wrk-report.lua's line. */
final class Wrk {

    record Result(String label, double requestsPerSecond, long requests, long errors, double p50, double p99, double p999) {
    }

    private static final Pattern LINE = Pattern.compile(
            "WRK requests=(\\d+) duration_us=(\\d+) errors=(\\d+) non2xx=(\\d+) p50_us=(\\d+) p99_us=(\\d+) p999_us=(\\d+)");

    private final int connections;
    private final int threads;

    Wrk(int connections, int threads) {
        this.connections = connections;
        this.threads = threads;
    }

    Result run(String label, String url, String authorization, Duration duration) {
        List<String> command = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections,
                "-d" + duration.toSeconds() + "s", "--timeout", "5s", "-s", "bench/wrk-report.lua"));
        if (authorization != null) {
            command.addAll(List.of("-H", "Authorization: " + authorization));
        }
        command.add(url);
        String output = Commands.output(command, "apt-get install wrk");
        Matcher line = LINE.matcher(output);
        if (!line.find()) {
            throw new IllegalStateException("wrk gave no result for " + label + ":\n" + output);
        }
        long requests = Long.parseLong(line.group(1));
        double seconds = Long.parseLong(line.group(2)) / 1e6;
        return new Result(label, requests / seconds, requests, Long.parseLong(line.group(3)),
                Long.parseLong(line.group(5)) / 1e3, Long.parseLong(line.group(6)) / 1e3, Long.parseLong(line.group(7)) / 1e3);
    }
}
