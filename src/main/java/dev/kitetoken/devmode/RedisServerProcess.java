package dev.kitetoken.devmode;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A throw-away {@code redis-server} on 127.0.0.1: no persistence, its own temporary directory. Dev mode
 * starts one when there is no other Redis; the tests start one per run. Never used in production.
 */
public final class RedisServerProcess {

    private final Path binary;
    private final int port;
    private Process process;

    private RedisServerProcess(Path binary, int port) {
        this.binary = binary;
        this.port = port;
    }

    /** The {@code redis-server} on the PATH, if any. */
    public static Optional<Path> findBinary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Starts the binary on a free port and waits until it accepts connections. */
    public static RedisServerProcess start(Path binary) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        RedisServerProcess server = new RedisServerProcess(binary, port);
        server.start();
        return server;
    }

    public static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts (again, after {@link #stop()}) on the same port, empty. */
    public synchronized void start() throws IOException {
        Path dir = Files.createTempDirectory("kite-redis");
        process = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!accepts(port)) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                process.destroyForcibly();
                throw new IOException("redis-server did not start on port " + port + "; see " + dir.resolve("redis.log"));
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while starting redis-server", e);
            }
        }
    }

    public synchronized void stop() {
        if (process != null) {
            process.destroy();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }
}
