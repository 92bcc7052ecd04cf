package dev.kitetoken.support;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One replica of the packaged service (the jar, or the native executable: {@link PackagedApp}) on its own
 * port, under the prod profile, logging to target/test-logs where the leak check reads it.
 */
public final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final int port;
    private final int managementPort;
    private final Process process;
    private final long launchedAt;
    private Duration readyAfter;

    private ServiceProcess(String name, int port, int managementPort, Process process, long launchedAt) {
        this.launchedAt = launchedAt;
        this.name = name;
        this.port = port;
        this.managementPort = managementPort;
        this.process = process;
    }

    /** Starts a replica on this port with these environment variables and waits until it is ready. */
    public static ServiceProcess start(String name, int port, Map<String, String> environment) {
        return start(name, port, environment, List.of("-Xmx128m"));
    }

    /** The same, with these JVM options (ignored by the native executable). */
    public static ServiceProcess start(String name, int port, Map<String, String> environment, List<String> jvmOptions) {
        return launch(name, port, environment, PackagedApp.command(jvmOptions.toArray(String[]::new)), null);
    }

    /**
     * Starts this exact command line (an image's ENTRYPOINT, say) in this directory, with the replica's
     * ports and log file set through the environment, and waits until it is ready.
     */
    public static ServiceProcess launch(String name, int port, Map<String, String> environment, List<String> command, Path directory) {
        Path log = SecretLedger.DIR.resolve(name + ".log");
        Map<String, String> env = new HashMap<>(environment);
        // A test that names the replicas to each other (KITE_PEERS) picks their management ports itself.
        int managementPort = env.containsKey("QUARKUS_MANAGEMENT_PORT") ? Integer.parseInt(env.get("QUARKUS_MANAGEMENT_PORT")) : freePort();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        env.put("QUARKUS_LOG_FILE_ENABLED", "true");
        env.put("QUARKUS_LOG_FILE_PATH", log.toAbsolutePath().toString());
        try {
            Files.createDirectories(SecretLedger.DIR);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(SecretLedger.DIR.resolve(name + ".out").toFile());
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            builder.environment().keySet().removeIf(key -> key.startsWith("KITE_") || key.startsWith("QUARKUS_"));
            builder.environment().putAll(env);
            long launchedAt = System.nanoTime();
            ServiceProcess replica = new ServiceProcess(name, port, managementPort, builder.start(), launchedAt);
            replica.awaitReady(Duration.ofSeconds(60));
            return replica;
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + name, e);
        }
    }

    /** What the replica wrote to its console (stdout and stderr). */
    public String consoleOutput() {
        return SecretLedger.read(SecretLedger.DIR.resolve(name + ".out"));
    }

    /** From launching the process to the first 200 of its readiness check. */
    public Duration readyAfter() {
        return readyAfter;
    }

    public boolean alive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public String url() {
        return "http://localhost:" + port;
    }

    /** The readiness status code: 200 while the replica can answer, whatever Redis does. */
    public int readiness() {
        return health("/q/health/ready");
    }

    /** The status of the dependencies group: 200 while Redis answers and the events subscription is live. */
    public int dependencies() {
        return health("/q/health/group/dependencies");
    }

    /** Waits until the dependencies group is UP; on a timeout, fails with what it said last (which check, which error). */
    public void awaitDependenciesUp(java.time.Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                io.restassured.response.Response health = given().get("http://localhost:" + managementPort + "/q/health/group/dependencies");
                if (health.statusCode() == 200) {
                    return;
                }
                last = health.statusCode() + " " + health.asString();
            } catch (Exception e) {
                last = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        throw new AssertionError(name + ": dependencies not UP within " + atMost + "; last answer: " + last);
    }

    private int health(String path) {
        try {
            return given().get("http://localhost:" + managementPort + path).statusCode();
        } catch (Exception e) {
            // REST Assured throws ConnectException undeclared while the replica is not listening yet.
            return -1;
        }
    }

    /** Kills the replica at once, as a node failure would. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        // Started (the first contact with Redis made) and ready, as Kubernetes' probes see it.
        while (health("/q/health/started") != 200 || readiness() != 200) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                kill();
                throw new IllegalStateException(name + " did not become ready; see " + SecretLedger.DIR.resolve(name + ".out"));
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        readyAfter = Duration.ofNanos(System.nanoTime() - launchedAt);
    }

    /** Every port handed out by this JVM: the kernel may offer a just-closed ephemeral port again. */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A port nothing listens on, never the same twice in this JVM: a test that starts three replicas, their
     * management ports and relays asks for many before any is bound (ChaosIT once got one twice: "Port … in use").
     */
    public static int freePort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket socket = new ServerSocket(0)) {
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("no free port not handed out before");
    }
}
