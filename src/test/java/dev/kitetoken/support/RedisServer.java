package dev.kitetoken.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * A real Redis for the tests: the {@code redis-server} binary on a free port without persistence, or a
 * Testcontainers Redis where no binary exists but a Docker engine answers. Can be stopped and started
 * again on the same port to test what happens when Redis goes away.
 */
public final class RedisServer {

    private final int port;
    private Process process;
    private GenericContainer<?> container;

    private RedisServer(int port) {
        this.port = port;
    }

    public static RedisServer start() {
        if (findOnPath("redis-server") != null) {
            RedisServer server = new RedisServer(freePort());
            server.startProcess();
            return server;
        }
        if (dockerAvailable()) {
            RedisServer server = new RedisServer(0);
            server.startContainer();
            return server;
        }
        throw new IllegalStateException("The tests need a real Redis: install redis-server (Debian/Ubuntu: "
                + "apt-get install redis-server; macOS: brew install redis) or start a Docker engine.");
    }

    public String url() {
        return container != null
                ? "redis://" + container.getHost() + ":" + container.getMappedPort(6379)
                : "redis://127.0.0.1:" + port;
    }

    public int port() {
        return container != null ? container.getMappedPort(6379) : port;
    }

    public void stop() {
        if (process != null) {
            process.destroy();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
        if (container != null) {
            container.stop();
            container = null;
        }
    }

    /** Starts the redis-server process again on the same port, empty. */
    public void restart() {
        stop();
        startProcess();
    }

    private void startProcess() {
        try {
            Path dir = Files.createTempDirectory("kite-test-redis");
            process = new ProcessBuilder(findOnPath("redis-server").toString(), "--port", Integer.toString(port),
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start redis-server", e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!accepts(port)) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new IllegalStateException("redis-server did not start on port " + port);
            }
            sleep(20);
        }
    }

    @SuppressWarnings("resource")
    private void startContainer() {
        container = new GenericContainer<>("redis:7.2-alpine").withExposedPorts(6379);
        container.start();
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Path findOnPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
