package dev.kitetoken.bench;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The markdown written to bench/results/&lt;date&gt;.md: every measurement, then each target against it.
 * <p>
 * Over 200 lines: one method per section, each writing its table and its targets.
 */
final class Report {

    private final StringBuilder body = new StringBuilder();
    private final StringBuilder targets = new StringBuilder();

    Report(String machine) {
        body.append("# kite-token-service benchmark, ").append(LocalDate.now()).append("\n\n")
                .append("Machine: ").append(machine).append(". Load generators and servers share the machine.\n\n");
    }

    void line(String text) {
        body.append(text).append("\n\n");
    }

    void startup(Percentiles startup, long[] each) {
        body.append("## Start-up\n\nProcess launch to the first 200 of `GET /q/health/ready` (Redis and the events subscription up), ")
                .append(each.length).append(" starts: median **").append(ms(startup.millis(50))).append(" ms** (")
                .append(Arrays.stream(each).mapToObj(n -> ms(n / 1e6)).collect(Collectors.joining(", "))).append(" ms).\n\n");
        target("Start-up to ready (the default image), median of " + each.length, "≤ 1000 ms", ms(startup.millis(50)) + " ms",
                startup.millis(50) <= 1000);
    }

    void images(List<ImageComparison.Result> images, int connections, int seconds, int warmup) {
        body.append("## The images side by side\n\nEach image's ENTRYPOINT as its Dockerfile runs it (a JVM image's class archive made by its")
                .append(" own RUN line, with this machine's JDK of the image's version; the native image's executable as this build made it).")
                .append(" Start-up: process launch to the first 200 of")
                .append(" `GET /q/health/ready`, ").append(images.get(0).startups().length).append(" starts each, interleaved. Then one run")
                .append(" each: the first login and the first `GET /token` after ready, `GET /token` with wrk (").append(connections)
                .append(" connections, ").append(seconds).append(" s after a ").append(warmup).append(" s warm-up), the RSS after start and after")
                .append(" that load, and nginx serving the same body right after (× nginx: the image's req/s over nginx's; p99 over nginx's).\n\n")
                .append("| image | runtime | start-up median ms | each ms | first login ms | first GET /token ms | GET /token req/s | × nginx | p99 ms | p99 × nginx | RSS after start MiB | RSS after load MiB |\n")
                .append("|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (ImageComparison.Result r : images) {
            Percentiles startup = new Percentiles(r.startups());
            body.append("| `").append(r.dockerfile()).append("` | ").append(r.runtime()).append(" | **").append(ms(startup.millis(50)))
                    .append("** | ").append(Arrays.stream(r.startups()).mapToObj(n -> ms(n / 1e6)).collect(Collectors.joining(", ")))
                    .append(" | ").append(ms(r.firstLoginMs())).append(" | ").append(ms(r.firstTokenMs())).append(" | ")
                    .append(String.format(Locale.ROOT, "%,.0f", r.requestsPerSecond())).append(" | ")
                    .append(ratio(r.requestsPerSecond() / r.nginxRequestsPerSecond())).append(" | ").append(ms(r.p99Ms())).append(" | ")
                    .append(ratio(r.p99Ms() / r.nginxP99Ms())).append(" | ").append(r.rssAfterStartKb() / 1024).append(" | ")
                    .append(r.rssAfterLoadKb() / 1024).append(" |\n");
            boolean nativeImage = r.runtime().startsWith("native");
            long startupTarget = nativeImage ? 100 : 1000;
            long rssTarget = nativeImage ? 64 : 128;
            target("Start-up to ready, " + r.runtime() + ", median of " + r.startups().length, "≤ " + startupTarget + " ms",
                    ms(startup.millis(50)) + " ms", startup.millis(50) <= startupTarget);
            target("RSS after the GET /token load, " + r.runtime(), "≤ " + rssTarget + " MiB", r.rssAfterLoadKb() / 1024 + " MiB",
                    r.rssAfterLoadKb() <= rssTarget * 1024);
            target("GET /token throughput, " + r.runtime(), "≥ 0.75 × nginx", ratio(r.requestsPerSecond() / r.nginxRequestsPerSecond()) + " × nginx",
                    r.requestsPerSecond() >= 0.75 * r.nginxRequestsPerSecond());
        }
        ImageComparison.Result a = images.get(0);
        for (ImageComparison.Result b : images.subList(1, images.size())) {
            body.append("\n").append(b.runtime()).append(" / ").append(a.runtime()).append(": start-up ")
                    .append(ratio(new Percentiles(b.startups()).millis(50) / new Percentiles(a.startups()).millis(50)))
                    .append("×, first GET /token ").append(ratio(b.firstTokenMs() / a.firstTokenMs())).append("×, throughput ")
                    .append(ratio(b.requestsPerSecond() / a.requestsPerSecond())).append("×, RSS after load ")
                    .append(ratio((double) b.rssAfterLoadKb() / a.rssAfterLoadKb())).append("×.\n");
        }
        body.append("\n");
    }

    void http(List<Wrk.Result> results, CpuUse.Used tokenCpu, int connections, int seconds, int warmup) {
        body.append("## HTTP: wrk, ").append(connections).append(" connections, 2 threads, ").append(seconds)
                .append(" s each, after a ").append(warmup).append(" s warm-up of the service\n\n")
                .append("| | requests/s | p50 ms | p99 ms | p99.9 ms | errors |\n|---|---:|---:|---:|---:|---:|\n");
        for (Wrk.Result r : results) {
            body.append("| ").append(r.label()).append(" | ").append(String.format(Locale.ROOT, "%,.0f", r.requestsPerSecond()))
                    .append(" | ").append(ms(r.p50())).append(" | ").append(ms(r.p99())).append(" | ").append(ms(r.p999()))
                    .append(" | ").append(r.errors()).append(" |\n");
        }
        Wrk.Result service = results.get(0);
        Wrk.Result nginx = results.get(1);
        Wrk.Result constant = results.get(2);
        Wrk.Result throughResource = results.get(3);
        double vsNginx = service.requestsPerSecond() / nginx.requestsPerSecond();
        double p99VsNginx = service.p99() / nginx.p99();
        double vsConstant = service.requestsPerSecond() / constant.requestsPerSecond();
        body.append("\nservice / nginx: **").append(ratio(vsNginx)).append("** of the throughput, p99 ")
                .append(ratio(p99VsNginx)).append("x. service / constant endpoint: **").append(ratio(vsConstant))
                .append("** of the throughput. Fast path / the same answer through Quarkus REST: **")
                .append(ratio(service.requestsPerSecond() / throughResource.requestsPerSecond()))
                .append("** of the throughput, p99 ").append(ratio(service.p99() / throughResource.p99()))
                .append("x.\n\nCPU during the GET /token run: ").append(tokenCpu.text()).append(", so ")
                .append(micros(tokenCpu.serviceMs(), service.requests())).append(" µs of the service's CPU per request.\n\n");
        target("GET /token throughput / nginx static", "≥ 0.75", ratio(vsNginx), vsNginx >= 0.75);
        target("GET /token p99 / nginx p99", "≤ 2", ratio(p99VsNginx), p99VsNginx <= 2);
        target("GET /token errors", "0", Long.toString(service.errors()), service.errors() == 0);
        target("GET /token throughput / constant endpoint", "≥ 0.9", ratio(vsConstant), vsConstant >= 0.9);
    }

    void redis(RedisBenchmark.Result r) {
        body.append("## Redis directly: redis-benchmark GET of the token key\n\n")
                .append(String.format(Locale.ROOT, "%,.0f requests/s, p50 %s ms, p99 %s ms, max %s ms (%,d requests). ",
                        r.requestsPerSecond(), ms(r.p50()), ms(r.p99()), ms(r.max()), r.requests()))
                .append("redis-benchmark reports no p99.9.\n\n");
    }

    void memory(long idleKb, long afterLoadKb) {
        body.append("## Memory\n\nRSS of the service: ").append(idleKb / 1024).append(" MiB after start-up and one login, ")
                .append(afterLoadKb / 1024).append(" MiB after the GET /token load.\n\n");
        target("RSS after the load (the default image)", "≤ 128 MiB", afterLoadKb / 1024 + " MiB", afterLoadKb <= 128 * 1024);
    }

    void nativeMemory(long rssKb, Map<String, Long> residentKb, Map<String, Long> committedKb) {
        body.append("## Where the memory goes\n\nA separate instance with `-XX:NativeMemoryTracking=summary`, one login, then the same ")
                .append("`GET /token` warm-up and load as above: RSS ").append(rssKb / 1024).append(" MiB (")
                .append(residentKb.entrySet().stream().map(e -> e.getKey() + " " + e.getValue() / 1024 + " MiB").collect(Collectors.joining(", ")))
                .append(": anonymous memory, and pages of files such as libjvm.so, the jars and the class archive); committed by the JVM's areas ")
                .append("(MiB; RSS counts only the touched part of what is committed, plus memory the JVM does not track):\n\n")
                .append("| area | committed MiB |\n|---|---:|\n");
        committedKb.entrySet().stream().filter(e -> e.getValue() >= 1024 || e.getKey().equals("Total"))
                .forEach(e -> body.append("| ").append(e.getKey()).append(" | ").append(ms(e.getValue() / 1024.0)).append(" |\n"));
        body.append("\n");
    }

    void events(EventPropagation.Result r) {
        body.append("## A report's round trip\n\n`POST /token/invalidate` (Kite asked, compare-and-delete, publish) to the `invalidated` ")
                .append("event arriving at a Redis subscriber in the benchmark process, ").append(r.rounds()).append(" rounds: p50 **")
                .append(ms(r.latency().millis(50))).append(" ms**, p99 **").append(ms(r.latency().millis(99))).append(" ms**, max ")
                .append(ms(r.latency().maxMillis())).append(" ms; ").append(r.failures()).append(" failed.\n\n");
    }

    void client(ClientFollowing.Result r) {
        Percentiles latency = r.issuedToFirstTick();
        body.append("## The Java client: a re-login followed by a trading program's ticker\n\n")
                .append("`clients/java` in the benchmark process: a `TokenFollower` long-polling the service and a `FollowingTicker` ")
                .append("(the official SDK's `KiteTicker`) on the fake ticker, one instrument in ltp mode. From the `issued` event ")
                .append("reaching a Redis subscriber in this process to the first tick from the rebuilt ticker's new connection ")
                .append("(the follower's long-poll answered, the old WebSocket closed, a new one opened, the subscription replayed, ")
                .append("the fake answering it at once), ").append(latency.count()).append(" re-logins: p50 **")
                .append(ms(latency.millis(50))).append(" ms**, p99 **").append(ms(latency.millis(99))).append(" ms**, max ")
                .append(ms(latency.maxMillis())).append(" ms; ").append(r.failures()).append(" missed.\n\n")
                .append("Idle for ").append(r.idleMs() / 1000).append(" s (a long-poll held, the ticker connected, ticks every 100 ms): ")
                .append("the follower's thread used ").append(String.format(Locale.ROOT, "%.1f", r.followerCpuNanos() / 1e6))
                .append(" CPU-ms, the ticker's thread ").append(String.format(Locale.ROOT, "%.1f", r.tickerCpuNanos() / 1e6))
                .append(" CPU-ms; the SDK's WebSocket threads (parsing the ticks) ").append(String.format(Locale.ROOT, "%.1f", r.sdkCpuNanos() / 1e6))
                .append(" CPU-ms. Threads: ").append(String.join(", ", r.threads())).append(".\n\n");
    }

    void fanOut(FanOut.Result one, FanOut.Result r) {
        body.append("## Propagation to every replica\n\n").append(r.replicas()).append(" replicas, ").append(r.changes())
                .append(" changes (a login each), one long-poll waiting on each replica: from the `issued` event reaching a Redis")
                .append(" subscriber in the benchmark process (the PUBLISH seen from outside) to each replica's long-poll answering")
                .append(" with the new token (the replica heard it, refreshed its near copy, woke its waiters). Kite's round trip")
                .append(" comes before the PUBLISH and is not in it. The same with one replica first: what the other two add is")
                .append(" what sharing the 2 cores costs.\n\n")
                .append("| replicas | every replica p50 ms | p99 ms | max ms | slowest replica of a change p50 ms | p99 ms | failed | CPU over the run |\n")
                .append("|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (FanOut.Result x : List.of(one, r)) {
            body.append("| ").append(x.replicas()).append(" | ").append(ms(x.everyReplica().millis(50))).append(" | ")
                    .append(ms(x.everyReplica().millis(99))).append(" | ").append(ms(x.everyReplica().maxMillis())).append(" | ")
                    .append(ms(x.slowestReplica().millis(50))).append(" | ").append(ms(x.slowestReplica().millis(99))).append(" | ")
                    .append(x.failures()).append(" | ").append(x.cpu().text()).append(" |\n");
        }
        body.append("\n");
        target("Propagation PUBLISH → every replica's waiters, p99 (" + r.replicas() + " replicas)", "≤ 10 ms",
                ms(r.everyReplica().millis(99)) + " ms", r.everyReplica().millis(99) <= 10 && r.failures() == 0);
        target("Propagation PUBLISH → waiters, p99 (1 replica, for the cause)", "≤ 10 ms",
                ms(one.everyReplica().millis(99)) + " ms", one.everyReplica().millis(99) <= 10 && one.failures() == 0);
    }

    void longPolls(List<LongPolls.Result> rounds, Map<String, NativeMemory.Live> heapGrowth, long settledHeapKb,
            Map<String, NativeMemory.Live> settledGrowth) {
        LongPolls.Result first = rounds.get(0);
        long growthKb = first.rssHoldingKb() - first.rssBeforeKb();
        body.append("## Long polls\n\n").append(first.clients()).append(" concurrent `GET /token?wait=60` with the current ETag, ")
                .append("one connection each, then a login; ").append(rounds.size()).append(" rounds. RSS ")
                .append(first.rssBeforeKb() / 1024).append(" MiB before the first round, ").append(first.rssHoldingKb() / 1024)
                .append(" MiB holding them (").append(growthKb >= 0 ? "+" : "").append(growthKb / 1024).append(" MiB).\n\n")
                .append("| round | answered | with the new token | p50 ms | p99 ms | last ms | service CPU µs per answer | CPU from the login to the last answer |\n")
                .append("|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (int i = 0; i < rounds.size(); i++) {
            LongPolls.Result r = rounds.get(i);
            body.append("| ").append(i + 1).append(" | ").append(r.answered()).append(" | ").append(r.answeredWithNewToken())
                    .append(" | ").append(ms(r.afterIssued().millis(50))).append(" | ").append(ms(r.afterIssued().millis(99)))
                    .append(" | ").append(ms(r.afterIssued().maxMillis())).append(" | ")
                    .append(micros(r.cpu().serviceMs(), r.answered())).append(" | ").append(r.cpu().text()).append(" |\n");
        }
        body.append("\nTimes run from the `issued` event reaching a subscriber in the benchmark process to each answer ")
                .append("arriving there, so they include the benchmark client's own work on as many connections.\n\n");
        body.append("\nLive heap (objects left after a full collection, by GC.class_histogram), before and after each round (MiB): ")
                .append(rounds.stream().map(r -> r.heapBeforeKb() / 1024 + " → " + r.heapAfterKb() / 1024).collect(Collectors.joining(", ")))
                .append(". Live objects by class after the rounds against before them (GC.class_histogram), the largest growths: ")
                .append(growth(heapGrowth)).append(".\n\nThe same 61 s later, once every wait's deadline has passed: heap ")
                .append(settledHeapKb / 1024).append(" MiB; ").append(growth(settledGrowth)).append(".\n\n");
        target(first.clients() + " long polls: RSS growth while held", "≤ 100 MiB", growthKb / 1024 + " MiB", growthKb <= 100 * 1024);
        LongPolls.Result worst = rounds.stream().max(java.util.Comparator.comparingDouble(r -> r.afterIssued().maxMillis())).orElseThrow();
        LongPolls.Result slowestMedian = rounds.stream().max(java.util.Comparator.comparingDouble(r -> r.afterIssued().millis(50))).orElseThrow();
        boolean allAnswered = rounds.stream().allMatch(r -> r.answeredWithNewToken() == r.clients());
        target(first.clients() + " long polls × " + rounds.size() + " rounds: every one answered with the new token within 300 ms",
                "all, ≤ 300 ms", (allAnswered ? "all" : "**not all**") + ", last " + ms(worst.afterIssued().maxMillis()) + " ms (worst round)",
                allAnswered && worst.afterIssued().maxMillis() <= 300);
        target(first.clients() + " long polls: p50 after the issued event", "≤ 100 ms",
                ms(slowestMedian.afterIssued().millis(50)) + " ms (worst round)", slowestMedian.afterIssued().millis(50) <= 100);
        long heapGrowthKb = rounds.stream().mapToLong(r -> r.heapAfterKb() - first.heapBeforeKb()).max().orElse(0);
        target(first.clients() + " long polls: heap right after the rounds vs before", "back (≤ +2 MiB)",
                (heapGrowthKb >= 0 ? "+" : "") + heapGrowthKb / 1024 + " MiB (worst round)", heapGrowthKb <= 2 * 1024);
        long settledGrowthKb = settledHeapKb - first.heapBeforeKb();
        target(first.clients() + " long polls: heap once every wait's deadline has passed vs before", "back (≤ +2 MiB)",
                (settledGrowthKb >= 0 ? "+" : "") + settledGrowthKb / 1024 + " MiB", settledGrowthKb <= 2 * 1024);
    }

    private static String growth(Map<String, NativeMemory.Live> classes) {
        return classes.entrySet().stream().map(e -> "`" + e.getKey() + "` " + (e.getValue().bytes() >= 0 ? "+" : "")
                + ms(e.getValue().bytes() / 1024.0 / 1024.0) + " MiB (" + String.format(Locale.ROOT, "%+,d", e.getValue().instances())
                + " objects)").collect(Collectors.joining(", "));
    }

    void sse(SseStreams.Result r) {
        long growthKb = r.rssHoldingKb() - r.rssBeforeKb();
        body.append("## Event streams\n\n").append(r.streams()).append(" concurrent `GET /token/events`, one connection each, held")
                .append(" across ").append(r.rounds().size()).append(" logins. RSS ").append(r.rssBeforeKb() / 1024).append(" MiB before, ")
                .append(r.rssHoldingKb() / 1024).append(" MiB holding them (").append(growthKb >= 0 ? "+" : "").append(growthKb / 1024)
                .append(" MiB); live heap after a full collection ").append(r.heapBeforeKb() / 1024).append(" MiB before, ")
                .append(r.heapAfterKb() / 1024).append(" MiB after they closed.\n\n")
                .append("| round | received | p50 ms | p99 ms | last ms | CPU from the login to the last event |\n|---:|---:|---:|---:|---:|---|\n");
        for (int i = 0; i < r.rounds().size(); i++) {
            SseStreams.Round round = r.rounds().get(i);
            body.append("| ").append(i + 1).append(" | ").append(round.received()).append(" | ").append(ms(round.afterIssued().millis(50)))
                    .append(" | ").append(ms(round.afterIssued().millis(99))).append(" | ").append(ms(round.afterIssued().maxMillis())).append(" | ").append(round.cpu().text()).append(" |\n");
        }
        body.append("\nTimes run from the `issued` event reaching a subscriber in the benchmark process to each stream carrying it.\n\n");
        target(r.streams() + " event streams: RSS growth while held", "≤ 100 MiB", growthKb / 1024 + " MiB", growthKb <= 100 * 1024);
        SseStreams.Round worst = r.rounds().stream().max(java.util.Comparator.comparingDouble(x -> x.afterIssued().maxMillis())).orElseThrow();
        boolean all = r.rounds().stream().allMatch(x -> x.received() == r.streams());
        target(r.streams() + " event streams × " + r.rounds().size() + " rounds: every one within 300 ms", "all, ≤ 300 ms",
                (all ? "all" : "**not all**") + ", last " + ms(worst.afterIssued().maxMillis()) + " ms (worst round)",
                all && worst.afterIssued().maxMillis() <= 300);
        long heapGrowthKb = r.heapAfterKb() - r.heapBeforeKb();
        target(r.streams() + " event streams: heap after they closed vs before", "back (≤ +2 MiB)",
                (heapGrowthKb >= 0 ? "+" : "") + heapGrowthKb / 1024 + " MiB", heapGrowthKb <= 2 * 1024);
    }

    void load(ConstantRateLoad.Result warmup, ConstantRateLoad.Result r) {
        body.append("## Constant load with re-logins\n\nAfter a ").append(warmup.duration().toSeconds())
                .append(" s warm-up at the same rate (").append(warmup.errors()).append(" errors, ").append(warmup.stale())
                .append(" stale answers): ").append(r.rate()).append(" `GET /token`/s for ").append(r.duration().toSeconds())
                .append(" s (").append(String.format(Locale.ROOT, "%,d", r.sent())).append(" requests, sent on schedule), a login every 10 s (")
                .append(r.logins()).append(" logins, ").append(r.loginFailures()).append(" failed). ")
                .append(String.format(Locale.ROOT, "%,d", r.ok())).append(" answered 200, ").append(r.errors()).append(" errors")
                .append(r.errorKinds().isEmpty() ? "" : " " + r.errorKinds()).append(". Latency from the scheduled send: p50 ")
                .append(ms(r.latency().millis(50))).append(" ms, p99 ").append(ms(r.latency().millis(99))).append(" ms, p99.9 ")
                .append(ms(r.latency().millis(99.9))).append(" ms, max ").append(ms(r.latency().maxMillis())).append(" ms. ")
                .append(r.superseded()).append(" answers arrived after their token's successor was issued (requests in flight), ")
                .append("the latest ").append(ms(r.maxLagMillis())).append(" ms after; ").append(r.stale()).append(" more than 100 ms after.\n\n");
        target("Load: " + r.rate() + " req/s × " + r.duration().toSeconds() + " s with re-logins, errors", "0",
                r.errors() + " (+" + r.loginFailures() + " failed logins)", r.errors() == 0 && r.loginFailures() == 0);
        target("Load: answers older than the latest issued token by > 100 ms", "0", Integer.toString(r.stale()), r.stale() == 0);
    }

    String markdown() {
        return body + "## Targets\n\n| target | wanted | measured | met |\n|---|---|---|---|\n" + targets;
    }

    private void target(String what, String wanted, String measured, boolean met) {
        targets.append("| ").append(what).append(" | ").append(wanted).append(" | ").append(measured).append(" | ")
                .append(met ? "yes" : "**no**").append(" |\n");
    }

    /** CPU microseconds per item. */
    static String micros(long cpuMs, long items) {
        return items == 0 ? "-" : String.format(Locale.ROOT, "%.0f", cpuMs * 1000.0 / items);
    }

    private static String ms(double millis) {
        return millis >= 100 ? String.format(Locale.ROOT, "%.0f", millis) : String.format(Locale.ROOT, "%.2f", millis);
    }

    private static String ratio(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
