package dev.kitetoken.devmode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.eclipse.microprofile.config.spi.ConfigSource;
import org.jboss.logging.Logger;

/**
 * Dev mode is the built-in Kite simulator, always and whole: these values win over the environment and over a
 * {@code .env} in the project (which Quarkus reads in dev mode too), so a filled-in .env can never give a
 * half-real dev mode (real api_key, simulated login page, the production readers' secret, real reminders).
 * What it overrides is named once at start-up. To use Kite itself, run the packaged jar.
 */
final class DevKiteConfigSource implements ConfigSource {

    /** Above system properties (400): nothing switches dev mode to real Kite halfway. */
    static final int ORDINAL = 450;
    static final String READER_SECRET = "dev-reader-token";
    static final String ADMIN_SECRET = "dev-admin-token";
    private static final Logger LOG = Logger.getLogger(DevKiteConfigSource.class);
    private static final String WARNED = "kitetoken.dev.ignored-warned";

    private static final Map<String, String> VALUES = values();

    private static Map<String, String> values() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("kite.api-key", "devapikey0001");
        values.put("kite.api-secret", "dev-api-secret-not-for-real-use");
        values.put("kite.api-url", "http://localhost:${quarkus.http.port}/kite-sim");
        values.put("kite.login-url", "http://localhost:${quarkus.http.port}/kite-sim/connect/login");
        values.put("kite.public-url", "http://localhost:${quarkus.http.port}");
        values.put("kite.reader-tokens", READER_SECRET);
        values.put("kite.admin-tokens", ADMIN_SECRET);
        // Empty: not set. The simulator's user may log in, and no reminder goes to a real chat or webhook.
        values.put("kite.allowed-user-ids", "");
        values.put("kite.notify-telegram-bot-token", "");
        values.put("kite.notify-telegram-chat-id", "");
        values.put("kite.notify-webhook-urls", "");
        values.put("kite.notify-webhook-secret", "");
        return Map.copyOf(values);
    }

    DevKiteConfigSource() {
        Set<String> ignored = new TreeSet<>();
        for (String property : VALUES.keySet()) {
            String variable = property.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
            if (isSet(System.getenv(variable)) || isSet(System.getProperty(property)) || dotEnv().contains(variable)) {
                ignored.add(variable);
            }
        }
        // Dev mode builds its configuration twice (the build, then the application): say it once.
        if (!ignored.isEmpty() && System.getProperty(WARNED) == null) {
            System.setProperty(WARNED, "true");
            LOG.warnf("Dev mode runs against the built-in Kite simulator and ignores %s from the environment or .env;"
                    + " run the packaged jar to use Kite itself (docs/deploy.md)", String.join(", ", ignored));
        }
    }

    /** The variables a .env in the working directory sets to something. */
    static Set<String> dotEnv() {
        Path file = Path.of(".env");
        Set<String> names = new TreeSet<>();
        if (!Files.isRegularFile(file)) {
            return names;
        }
        try {
            for (String line : Files.readAllLines(file)) {
                String trimmed = line.strip();
                int equals = trimmed.indexOf('=');
                if (!trimmed.startsWith("#") && equals > 0 && isSet(trimmed.substring(equals + 1))) {
                    names.add(trimmed.substring(0, equals).strip());
                }
            }
        } catch (IOException e) {
            LOG.debugf("Could not read .env: %s", e.getMessage());
        }
        return names;
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    @Override
    public Set<String> getPropertyNames() {
        return VALUES.keySet();
    }

    @Override
    public String getValue(String name) {
        return VALUES.get(name);
    }

    @Override
    public Map<String, String> getProperties() {
        return VALUES;
    }

    @Override
    public String getName() {
        return "kite-token-service dev mode: the Kite simulator";
    }

    @Override
    public int getOrdinal() {
        return ORDINAL;
    }

    static List<String> pinned() {
        return List.copyOf(VALUES.keySet());
    }
}
