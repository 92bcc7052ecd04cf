package dev.kitetoken.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Looks into a running JVM of the tests with the JDK's jcmd: its flags, and its heap after a full GC. */
public final class JvmProbe {

    private static final Pattern GENERATION_USED = Pattern.compile("generation\\s+total \\d+K, used (\\d+)K");

    private JvmProbe() {
    }

    public static String jcmd(long pid, String... command) {
        String[] line = new String[command.length + 2];
        line[0] = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        line[1] = Long.toString(pid);
        System.arraycopy(command, 0, line, 2, command.length);
        try {
            Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Bytes of heap in use right after a full collection (the serial collector's generations). */
    public static long heapAfterFullGc(long pid) {
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        Matcher used = GENERATION_USED.matcher(info);
        long kilobytes = 0;
        int generations = 0;
        while (used.find()) {
            kilobytes += Long.parseLong(used.group(1));
            generations++;
        }
        if (generations == 0) {
            throw new IllegalStateException("GC.heap_info named no generation (is it the serial collector?): " + info);
        }
        return kilobytes * 1024;
    }
}
