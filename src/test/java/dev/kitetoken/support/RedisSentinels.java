package dev.kitetoken.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import dev.kitetoken.devmode.RedisServerProcess;

/**
 * Redis with automatic failover on loopback, from Debian's {@code redis-server}: one master, two replicas
 * and three sentinels ({@code redis-server --sentinel}) watching it with {@code down-after-milliseconds}
 * 1000. No persistence, so what a failover loses is lost.
 */
public final class RedisSentinels implements AutoCloseable {

    public static final String MASTER_NAME = "kite";

    private final List<Server> servers = new ArrayList<>();
    private final List<Server> sentinels = new ArrayList<>();

    private RedisSentinels() {
    }

    public static RedisSentinels start() {
        RedisSentinels setup = new RedisSentinels();
        try {
            Server master = Server.data(freePort(), null);
            setup.servers.add(master);
            for (int i = 0; i < 2; i++) {
                setup.servers.add(Server.data(freePort(), master.port()));
            }
            for (int i = 0; i < 3; i++) {
                setup.sentinels.add(Server.sentinel(freePort(), master.port()));
            }
            setup.awaitReplicasInSync(master.port(), Duration.ofSeconds(20));
            return setup;
        } catch (IOException | RuntimeException e) {
            setup.close();
            throw new IllegalStateException("could not start Redis with sentinels", e);
        }
    }

    /** QUARKUS_REDIS_HOSTS for the sentinel client type: the sentinels. */
    public String sentinelHosts() {
        return sentinels.stream().map(s -> "redis://127.0.0.1:" + s.port()).collect(Collectors.joining(","));
    }

    /** The master's port, as the sentinels name it now. */
    public int masterPort() {
        for (Server sentinel : sentinels) {
            if (sentinel.running()) {
                String[] answer = RedisCli.to(sentinel.port(), "SENTINEL", "get-master-addr-by-name", MASTER_NAME).strip().split("\\s+");
                if (answer.length == 2) {
                    return Integer.parseInt(answer[1]);
                }
            }
        }
        throw new IllegalStateException("no sentinel names a master");
    }

    /** A command to the current master. */
    public String onMaster(String... args) {
        return RedisCli.to(masterPort(), args).strip();
    }

    /** Kills the master (kill -9) and waits until the sentinels have promoted a replica; answers its port. */
    public int killMasterAndAwaitFailover(Duration timeout) {
        int old = masterPort();
        server(old).kill();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            int now = masterPort();
            if (now != old && RedisCli.to(now, "ROLE").startsWith("master")) {
                return now;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no failover within " + timeout);
            }
            RedisCli.pause(50);
        }
    }

    /**
     * From now on, writes on the master reach no replica: it closes its replica links, and a password set
     * first keeps them from coming back (connections already open, the service's among them, stay). The
     * failover that follows loses every write made meanwhile.
     */
    public void stopReplication() {
        int master = masterPort();
        String password = "held-" + System.nanoTime();
        String set = RedisCli.to(master, "CONFIG", "SET", "requirepass", password).strip();
        String killed = RedisCli.to(master, "-a", password, "--no-auth-warning", "CLIENT", "KILL", "TYPE", "replica").strip();
        if (!set.equals("OK") || !killed.matches("[1-9][0-9]*")) {
            throw new IllegalStateException("could not cut the replicas off: " + set + " / " + killed);
        }
    }

    @Override
    public void close() {
        sentinels.forEach(Server::kill);
        servers.forEach(Server::kill);
    }

    private Server server(int port) {
        return servers.stream().filter(s -> s.port() == port).findFirst().orElseThrow();
    }

    private void awaitReplicasInSync(int master, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        // state=online: the replica has finished its first sync (connected_slaves counts it from the handshake
        // on); a failover before it would find replicas that hold nothing.
        while (!(RedisCli.to(master, "INFO", "replication").contains("connected_slaves:2")
                && RedisCli.to(master, "INFO", "replication").split("state=online", -1).length - 1 == 2
                && sentinels.stream().allMatch(s -> RedisCli.to(s.port(), "SENTINEL", "replicas", MASTER_NAME).split("\n").length > 1
                        && RedisCli.to(s.port(), "SENTINEL", "ckquorum", MASTER_NAME).startsWith("OK")))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the replicas and sentinels did not settle");
            }
            RedisCli.pause(100);
        }
    }


    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }


    /** A redis-server process: a data node (master or replica) or a sentinel. */
    private static final class Server {
        private final int port;
        private final Process process;

        private Server(int port, Process process) {
            this.port = port;
            this.process = process;
        }

        static Server data(int port, Integer replicaOf) throws IOException {
            Path dir = Files.createTempDirectory("kite-redis-" + port);
            List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString(),
                    // A replica's first sync starts at once, not after redis-server's default 5 s wait for others.
                    "--repl-diskless-sync-delay", "0"));
            if (replicaOf != null) {
                command.addAll(List.of("--replicaof", "127.0.0.1", replicaOf.toString()));
            }
            return launch(port, command, dir);
        }

        static Server sentinel(int port, int master) throws IOException {
            Path dir = Files.createTempDirectory("kite-sentinel-" + port);
            Path config = dir.resolve("sentinel.conf");
            Files.writeString(config, String.join("\n",
                    "port " + port,
                    "bind 127.0.0.1",
                    "dir " + dir,
                    "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + master + " 2",
                    "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
                    "sentinel failover-timeout " + MASTER_NAME + " 5000",
                    "sentinel parallel-syncs " + MASTER_NAME + " 1",
                    ""));
            return launch(port, List.of("redis-server", config.toString(), "--sentinel"), dir);
        }

        private static Server launch(int port, List<String> command, Path dir) throws IOException {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile()).start();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!RedisServerProcess.accepts(port)) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    process.destroyForcibly();
                    throw new IOException("redis-server did not start on port " + port + "; see " + dir.resolve("redis.log"));
                }
                RedisCli.pause(20);
            }
            return new Server(port, process);
        }

        int port() {
            return port;
        }

        boolean running() {
            return process.isAlive();
        }


        void kill() {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
