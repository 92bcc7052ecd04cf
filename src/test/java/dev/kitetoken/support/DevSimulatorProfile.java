package dev.kitetoken.support;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The service against its built-in Kite simulator as {@code quarkus:dev} runs it, with a real Redis from the tests. */
public class DevSimulatorProfile implements QuarkusTestProfile {

    public static final String API_KEY = "simapikey0001";
    public static final String API_SECRET = "sim-api-secret-0123456789abcdef";

    @Override
    public Map<String, String> getConfigOverrides() {
        String base = KiteTestEnvironment.PUBLIC_URL;
        return Map.of(
                // Dev mode checks every request's Origin (the Dev UI's CORS filter: localhost only, never
                // "null"); Quarkus' CORS filter with this origin refuses the same requests in the test profile.
                "quarkus.http.cors.enabled", "true",
                "quarkus.http.cors.origins", base,
                "kite.api-key", API_KEY,
                "kite.api-secret", API_SECRET,
                "kite.api-url", base + "/kite-sim",
                "kite.login-url", base + "/kite-sim/connect/login",
                "kite.public-url", base,
                "kite.reader-tokens", KiteTestEnvironment.READER_TOKEN);
    }
}
