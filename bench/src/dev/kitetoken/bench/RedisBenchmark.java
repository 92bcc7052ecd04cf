package dev.kitetoken.bench;

import java.net.URI;
import java.util.List;

/** redis-benchmark GET of the token key: what a pod reading Redis directly costs. */
final class RedisBenchmark {

    record Result(double requestsPerSecond, long requests, double p50, double p99, double max) {
    }

    private RedisBenchmark() {
    }

    static Result get(String redisUrl, String key, int connections, long requests) {
        URI uri = URI.create(redisUrl);
        List<String> command = List.of("redis-benchmark", "-h", uri.getHost(), "-p", Integer.toString(uri.getPort()),
                "-c", Integer.toString(connections), "-n", Long.toString(requests), "--csv", "GET", key);
        String out = Commands.output(command, "apt-get install redis-tools");
        // "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
        String row = out.lines().filter(l -> l.startsWith("\"GET")).reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalStateException("redis-benchmark gave no result:\n" + out));
        String[] cells = row.replace("\"", "").split(",");
        return new Result(Double.parseDouble(cells[1]), requests, Double.parseDouble(cells[4]),
                Double.parseDouble(cells[6]), Double.parseDouble(cells[7]));
    }
}
