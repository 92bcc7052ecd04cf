package dev.kitetoken.devmode;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;
import org.jboss.logging.Logger;

/**
 * Answers {@code quarkus.redis.hosts} in dev mode. QUARKUS_REDIS_HOSTS in the environment (or the system
 * property) always wins and nothing is started; a {@code .env}'s value does not (this source ranks above it):
 * a .env made for production must not point dev mode's simulated logins at the production Redis. Otherwise, in
 * order: leave it to Dev Services when a Docker engine answers, use a Redis already listening on
 * localhost:6379, or start the {@code redis-server} binary on a free port. The answer is kept in a system
 * property so that a live reload does not start a second server.
 */
final class DevRedisConfigSource implements ConfigSource {

    /** Above .env (295), below the environment (300) and system properties (400). */
    static final int ORDINAL = 296;
    private static final String HOSTS = "quarkus.redis.hosts";
    private static final String STARTED = "kitetoken.dev.redis-hosts";
    private static final Logger LOG = Logger.getLogger(DevRedisConfigSource.class);

    @Override
    public Set<String> getPropertyNames() {
        // Not listed: listing it would make config diagnostics read it, and reading it may start a server.
        return Set.of();
    }

    @Override
    public String getValue(String name) {
        return HOSTS.equals(name) ? hosts() : null;
    }

    @Override
    public String getName() {
        return "kite-token-service dev Redis";
    }

    @Override
    public int getOrdinal() {
        return ORDINAL;
    }

    private static synchronized String hosts() {
        String given = System.getenv("QUARKUS_REDIS_HOSTS");
        if (given != null && !given.isBlank() || System.getProperty(HOSTS) != null) {
            // Asked although a higher source answers (the build reads every source): start nothing.
            return null;
        }
        String started = System.getProperty(STARTED);
        if (started != null) {
            return started;
        }
        if (DevKiteConfigSource.dotEnv().contains("QUARKUS_REDIS_HOSTS")) {
            LOG.warn("Dev mode ignores QUARKUS_REDIS_HOSTS from .env (set it in the environment to use that Redis)");
        }
        if (dockerAnswers()) {
            return null;
        }
        if (RedisServerProcess.accepts(6379)) {
            LOG.info("Dev mode: using the Redis on localhost:6379");
            return remember("redis://localhost:6379");
        }
        Optional<Path> binary = RedisServerProcess.findBinary();
        if (binary.isEmpty()) {
            LOG.warn("Dev mode: no Docker engine, no Redis on localhost:6379 and no redis-server on the PATH. "
                    + "Install Redis (apt-get install redis-server) or set QUARKUS_REDIS_HOSTS.");
            return null;
        }
        try {
            RedisServerProcess redis = RedisServerProcess.start(binary.get());
            Runtime.getRuntime().addShutdownHook(new Thread(redis::stop, "kite-dev-redis-stop"));
            LOG.infof("Dev mode: started %s on port %d (no persistence; it stops with dev mode)", binary.get(), redis.port());
            return remember(redis.url());
        } catch (IOException e) {
            LOG.warnf("Dev mode: could not start redis-server: %s", e.getMessage());
            return null;
        }
    }

    private static String remember(String hosts) {
        System.setProperty(STARTED, hosts);
        return hosts;
    }

    private static boolean dockerAnswers() {
        if (System.getenv("DOCKER_HOST") != null) {
            return true;
        }
        Path socket = Path.of("/var/run/docker.sock");
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            return channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of();
    }
}
