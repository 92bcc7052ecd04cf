package dev.kitetoken.devmode;

import java.util.List;
import java.util.OptionalInt;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;

/**
 * Gives dev mode a Redis when nothing else does. Registered for every profile but only active in dev, at
 * the lowest priority, so QUARKUS_REDIS_HOSTS, application.properties and Dev Services always win.
 */
public class DevRedisConfigSourceFactory implements ConfigSourceFactory {

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        return context.getProfiles().contains("dev") ? List.of(new DevRedisConfigSource()) : List.of();
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(DevRedisConfigSource.ORDINAL);
    }
}
