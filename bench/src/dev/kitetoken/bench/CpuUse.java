package dev.kitetoken.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * CPU time spent by the service's processes, by this benchmark process and by the whole machine over a stretch
 * of wall time, from /proc: it tells a slow answer that waited for a core from one the service was slow to make.
 */
final class CpuUse {

    /** Milliseconds of CPU; {@code machineBusyMs} counts every core, so it can reach cores × {@code wallMs}. */
    record Used(long serviceMs, long serviceKernelMs, long benchmarkMs, long machineBusyMs, long wallMs) {

        int machineBusyPercent() {
            return wallMs == 0 ? 0 : (int) (100 * machineBusyMs / (wallMs * CORES));
        }

        String text() {
            return "service %,d CPU-ms (%d%% in the kernel), benchmark %,d CPU-ms, machine %d%% busy over %,d ms".formatted(serviceMs,
                    serviceMs == 0 ? 0 : 100 * serviceKernelMs / serviceMs, benchmarkMs, machineBusyPercent(), wallMs);
        }
    }

    record Mark(long serviceTicks, long serviceKernelTicks, long ownTicks, long busyTicks, long atNanos) {
    }

    /** Linux' USER_HZ, the unit of /proc's CPU times, is 100 on every architecture the JDK runs on. */
    private static final long MS_PER_TICK = 10;
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private final List<Long> servicePids;

    CpuUse(List<Long> servicePids) {
        this.servicePids = servicePids;
    }

    Mark mark() {
        return new Mark(servicePids.stream().mapToLong(pid -> processTicks(pid, true)).sum(),
                servicePids.stream().mapToLong(pid -> processTicks(pid, false)).sum(), processTicks(ProcessHandle.current().pid(), true),
                machineBusyTicks(), System.nanoTime());
    }

    Used since(Mark start) {
        Mark now = mark();
        return new Used((now.serviceTicks() - start.serviceTicks()) * MS_PER_TICK,
                (now.serviceKernelTicks() - start.serviceKernelTicks()) * MS_PER_TICK, (now.ownTicks() - start.ownTicks()) * MS_PER_TICK,
                (now.busyTicks() - start.busyTicks()) * MS_PER_TICK, (now.atNanos() - start.atNanos()) / 1_000_000);
    }

    /**
     * utime + stime ({@code all}) or stime alone: fields 14 and 15 of /proc/&lt;pid&gt;/stat, counted after the
     * command name, which may hold spaces.
     */
    private static long processTicks(long pid, boolean all) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (all ? Long.parseLong(fields[11]) : 0) + Long.parseLong(fields[12]);
    }

    /** Every core's time in /proc/stat's first line but idle and iowait. */
    private static long machineBusyTicks() {
        long[] times = Arrays.stream(read(Path.of("/proc/stat")).lines().findFirst().orElseThrow().split("\\s+")).skip(1)
                .mapToLong(Long::parseLong).toArray();
        long all = Arrays.stream(times, 0, Math.min(8, times.length)).sum(); // guest time is already in user
        return all - times[3] - times[4];
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + " (the benchmark runs on Linux)", e);
        }
    }
}
