package dev.kitetoken.devmode;

import java.util.List;
import java.util.OptionalInt;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;

/**
 * Dev mode's own configuration: the Kite simulator, whole ({@link DevKiteConfigSource}), and a Redis
 * ({@link DevRedisConfigSource}). Registered for every profile but only active in dev.
 */
public class DevModeConfigSourceFactory implements ConfigSourceFactory {

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        return context.getProfiles().contains("dev") ? List.of(new DevKiteConfigSource(), new DevRedisConfigSource()) : List.of();
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(DevRedisConfigSource.ORDINAL);
    }
}
