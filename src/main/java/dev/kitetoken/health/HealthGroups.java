package dev.kitetoken.health;

/**
 * Readiness says only whether this replica can answer: Redis and the events subscription are shared by
 * every replica, and a readiness that followed them would take every replica out of its Service at once
 * (and with it the last known token and the logins that work without Redis). Their state is reported in
 * a group of its own, {@code /q/health/group/dependencies}, and in the metrics.
 */
public final class HealthGroups {

    public static final String DEPENDENCIES = "dependencies";

    private HealthGroups() {
    }
}
