package dev.kitetoken.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where a service process' memory goes, asked of the running JVM with jcmd: native memory by area, heap by class. */
final class NativeMemory {

    private static final Pattern AREA = Pattern.compile("(?m)^-\\s+(.+?) \\(reserved=\\d+KB, committed=(\\d+)KB[^)]*\\)");
    private static final Pattern TOTAL = Pattern.compile("(?m)^Total: reserved=\\d+KB, committed=(\\d+)KB");
    private static final Pattern CLASS = Pattern.compile("(?m)^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

    private NativeMemory() {
    }

    /** Committed KB by Native Memory Tracking area, largest first, and "Total"; the JVM must run with NMT on. */
    static Map<String, Long> summary(long pid) {
        String text = jcmd(pid, "VM.native_memory", "summary");
        Map<String, Long> areas = new LinkedHashMap<>();
        Matcher total = TOTAL.matcher(text);
        if (!total.find()) {
            throw new IllegalStateException("no Native Memory Tracking summary: " + text.lines().limit(3).toList());
        }
        Matcher area = AREA.matcher(text);
        Map<String, Long> found = new LinkedHashMap<>();
        while (area.find()) {
            found.put(area.group(1).strip(), Long.parseLong(area.group(2)));
        }
        found.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> areas.put(e.getKey(), e.getValue()));
        areas.put("Total", Long.parseLong(total.group(1)));
        return areas;
    }

    /** The resident set by kind (RssAnon, RssFile, RssShmem of /proc/&lt;pid&gt;/status), in KB. */
    static Map<String, Long> residentKb(long pid) {
        Map<String, Long> kinds = new LinkedHashMap<>();
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("RssAnon:") || line.startsWith("RssFile:") || line.startsWith("RssShmem:")) {
                    kinds.put(line.substring(0, line.indexOf(':')), Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/status", e);
        }
        return kinds;
    }

    /** Live objects of one class: how many, how many bytes. */
    record Live(long instances, long bytes) {

        Live minus(Live other) {
            return new Live(instances - other.instances, bytes - other.bytes);
        }
    }

    /** Live objects by class (GC.class_histogram collects first). */
    static Map<String, Live> classHistogram(long pid) {
        Map<String, Live> classes = new LinkedHashMap<>();
        Matcher line = CLASS.matcher(jcmd(pid, "GC.class_histogram"));
        while (line.find()) {
            classes.merge(line.group(3), new Live(Long.parseLong(line.group(1)), Long.parseLong(line.group(2))),
                    (a, b) -> new Live(a.instances() + b.instances(), a.bytes() + b.bytes()));
        }
        return classes;
    }

    /** The {@code top} classes whose live bytes grew most from {@code before} to {@code after}, and all of them. */
    static Map<String, Live> growth(Map<String, Live> before, Map<String, Live> after, int top) {
        Map<String, Live> grown = new LinkedHashMap<>();
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue().minus(before.getOrDefault(e.getKey(), new Live(0, 0)))))
                .sorted(java.util.Comparator.comparingLong((Map.Entry<String, Live> e) -> e.getValue().bytes()).reversed()).limit(top)
                .forEach(e -> grown.put(e.getKey(), e.getValue()));
        grown.put("all classes", new Live(after.values().stream().mapToLong(Live::instances).sum(), after.values().stream().mapToLong(Live::bytes).sum())
                .minus(new Live(before.values().stream().mapToLong(Live::instances).sum(), before.values().stream().mapToLong(Live::bytes).sum())));
        return grown;
    }

    /**
     * Bytes of live objects (GC.class_histogram collects first). GC.heap_info's "used" after GC.run also
     * counts the TLABs handed out since, a few MiB of noise.
     */
    static long heapAfterGcKb(long pid) {
        return classHistogram(pid).values().stream().mapToLong(Live::bytes).sum() / 1024;
    }

    private static String jcmd(long pid, String... command) {
        List<String> line = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid)));
        line.addAll(List.of(command));
        return Commands.output(line, "a JDK");
    }
}
