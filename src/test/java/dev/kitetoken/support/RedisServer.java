package dev.kitetoken.support;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

import dev.kitetoken.devmode.RedisServerProcess;

/**
 * A real Redis for the tests: the {@code redis-server} binary on a free port without persistence, or a
 * Testcontainers Redis where no binary exists but a Docker engine answers.
 */
public final class RedisServer {

    private final RedisServerProcess process;
    private final GenericContainer<?> container;

    private RedisServer(RedisServerProcess process, GenericContainer<?> container) {
        this.process = process;
        this.container = container;
    }

    public static RedisServer start() {
        Optional<Path> binary = RedisServerProcess.findBinary();
        if (binary.isPresent()) {
            try {
                return new RedisServer(RedisServerProcess.start(binary.get()), null);
            } catch (IOException e) {
                throw new IllegalStateException("could not start " + binary.get(), e);
            }
        }
        if (dockerAvailable()) {
            GenericContainer<?> container = new GenericContainer<>("redis:7.2-alpine").withExposedPorts(6379);
            container.start();
            return new RedisServer(null, container);
        }
        throw new IllegalStateException("The tests need a real Redis: install redis-server (Debian/Ubuntu: "
                + "apt-get install redis-server; macOS: brew install redis) or start a Docker engine.");
    }

    public String url() {
        return process != null ? process.url()
                : "redis://" + container.getHost() + ":" + container.getMappedPort(6379);
    }

    /** Stops the server and starts it again, empty, on the same port (a restart without persistence). */
    public void restart(Duration downtime) {
        restartable().stop();
        try {
            Thread.sleep(downtime.toMillis());
            process.start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start redis-server again", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the server process, to be started again, empty, on the same port by {@link #startAgain()}. */
    public void stopForNow() {
        restartable().stop();
    }

    public void startAgain() {
        try {
            restartable().start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start redis-server again", e);
        }
    }

    /** Restarts on the same port need the redis-server binary: a test that needs one fails without it, never skips. */
    private RedisServerProcess restartable() {
        if (process == null) {
            throw new IllegalStateException("This test restarts Redis on the same port, which needs the redis-server binary "
                    + "(apt-get install redis-server; .ci/run installs it): a Testcontainers Redis comes back on another port.");
        }
        return process;
    }

    public void stop() {
        if (process != null) {
            process.stop();
        } else {
            container.stop();
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
