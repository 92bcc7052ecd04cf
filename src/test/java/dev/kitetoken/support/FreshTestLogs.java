package dev.kitetoken.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Empties target/test-logs when a test run starts (once per surefire or failsafe JVM), so that the leak
 * checks read only the logs, secrets and responses of this run: an older run's log can neither hide a leak
 * nor satisfy a "not vacuous" guard.
 */
public class FreshTestLogs implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (!Files.isDirectory(SecretLedger.DIR)) {
            return;
        }
        try (Stream<Path> files = Files.walk(SecretLedger.DIR)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                if (!file.equals(SecretLedger.DIR)) {
                    Files.delete(file);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not empty " + SecretLedger.DIR, e);
        }
    }
}
