package dev.kitetoken.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.kitetoken.devmode.RedisServerProcess;

/**
 * A Redis Cluster on loopback from Debian's {@code redis-server} and {@code redis-cli}: masters with one
 * replica each, created with {@code redis-cli --cluster create}, no persistence. Node ports stay below
 * 55535 (a node's bus port is its port + 10000).
 * <p>
 * Over 200 lines: creating, failing over and restarting nodes each need their own waits for the cluster to agree.
 */
public final class RedisCluster implements AutoCloseable {

    private static final Duration NODE_TIMEOUT = Duration.ofMillis(1_000);

    private final Map<Integer, Node> nodes = new LinkedHashMap<>();

    private RedisCluster() {
    }

    /** Three masters and three replicas, the slots covered and the cluster state ok. */
    public static RedisCluster start() {
        RedisCluster cluster = new RedisCluster();
        try {
            for (int i = 0; i < 6; i++) {
                int port = freeNodePort();
                Node node = new Node(port, Files.createTempDirectory("kite-cluster-" + port));
                node.start();
                cluster.nodes.put(port, node);
            }
            List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            cluster.nodes.keySet().forEach(port -> create.add("127.0.0.1:" + port));
            create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
            String out = RedisCli.run(create);
            if (!out.contains("[OK] All 16384 slots covered")) {
                throw new IllegalStateException("redis-cli --cluster create failed: " + out);
            }
            cluster.awaitHealthy(Duration.ofSeconds(30));
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw new IllegalStateException("could not start a Redis Cluster", e);
        }
    }

    /** The value of QUARKUS_REDIS_HOSTS: every node, so the client finds the cluster whichever node is down. */
    public String hosts() {
        return nodes.keySet().stream().map(port -> "redis://127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    /** Runs a command against the cluster (redis-cli -c follows MOVED), through any node that answers. */
    public String cli(String... args) {
        for (int port : nodes.keySet()) {
            if (nodes.get(port).running()) {
                List<String> command = new ArrayList<>(List.of("redis-cli", "-c", "-p", Integer.toString(port)));
                command.addAll(List.of(args));
                return RedisCli.run(command).strip();
            }
        }
        throw new IllegalStateException("no cluster node is running");
    }

    /** The port of the master that serves this key's slot. */
    public int masterOf(String key) {
        long slot = Long.parseLong(cli("CLUSTER", "KEYSLOT", key));
        for (String line : cli("CLUSTER", "NODES").lines().toList()) {
            String[] fields = line.split(" ");
            if (!fields[2].contains("master") || fields[2].contains("fail")) {
                continue;
            }
            for (int i = 8; i < fields.length; i++) {
                String[] range = fields[i].split("-");
                if (range[0].startsWith("[")) {
                    continue;
                }
                long from = Long.parseLong(range[0]);
                long to = range.length > 1 ? Long.parseLong(range[1]) : from;
                if (slot >= from && slot <= to) {
                    return Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1, fields[1].indexOf('@')));
                }
            }
        }
        throw new IllegalStateException("no master serves slot " + slot);
    }

    /** The port of a replica of the master on this port. */
    public int replicaOf(int masterPort) {
        String masterId = nodeId(masterPort);
        for (String line : cli("CLUSTER", "NODES").lines().toList()) {
            String[] fields = line.split(" ");
            if (fields[2].contains("slave") && fields[3].equals(masterId) && !fields[2].contains("fail")) {
                return Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1, fields[1].indexOf('@')));
            }
        }
        throw new IllegalStateException("the master on " + masterPort + " has no healthy replica");
    }

    /**
     * The quiet loss: the master of a slot restarts empty at once (no persistence), so fast that no failover
     * happens, and its replica copies the emptiness.
     */
    public void restartEmpty(int port) {
        Node node = nodes.get(port);
        node.kill();
        try {
            Files.deleteIfExists(node.dir().resolve("dump.rdb"));
            node.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        awaitHealthy(Duration.ofSeconds(30));
    }

    /** A planned failover (CLUSTER FAILOVER on the replica), then the old master killed. */
    public int failOver(int masterPort) {
        int replica = replicaOf(masterPort);
        String answer = RedisCli.to(replica, "CLUSTER", "FAILOVER").strip();
        if (!answer.equals("OK")) {
            throw new IllegalStateException("CLUSTER FAILOVER answered " + answer);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!RedisCli.to(replica, "ROLE").startsWith("master")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the replica on " + replica + " did not become master");
            }
            RedisCli.pause(50);
        }
        nodes.get(masterPort).kill();
        return replica;
    }

    private String nodeId(int port) {
        return RedisCli.to(port, "CLUSTER", "MYID").strip();
    }

    private void awaitHealthy(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean ok = nodes.values().stream().filter(Node::running)
                    .allMatch(node -> RedisCli.to(node.port(), "CLUSTER", "INFO")
                            .contains("cluster_state:ok"));
            if (ok) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the cluster did not reach cluster_state:ok");
            }
            RedisCli.pause(100);
        }
    }

    @Override
    public void close() {
        nodes.values().forEach(Node::kill);
    }

    private static int freeNodePort() throws IOException {
        while (true) {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            if (port < 55535 && !RedisServerProcess.accepts(port + 10000)) {
                return port;
            }
        }
    }



    /** One cluster node: its port, its directory (nodes.conf keeps its identity across restarts) and process. */
    private static final class Node {
        private final int port;
        private final Path dir;
        private Process process;

        Node(int port, Path dir) {
            this.port = port;
            this.dir = dir;
        }

        int port() {
            return port;
        }

        Path dir() {
            return dir;
        }

        boolean running() {
            return process != null && process.isAlive();
        }

        void start() throws IOException {
            process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                    "--cluster-node-timeout", Long.toString(NODE_TIMEOUT.toMillis()),
                    "--save", "", "--appendonly", "no", "--dir", dir.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
                    .start();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!RedisServerProcess.accepts(port)) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    process.destroyForcibly();
                    throw new IOException("a cluster node did not start on port " + port + "; see " + dir.resolve("redis.log"));
                }
                RedisCli.pause(20);
            }
        }

        void kill() {
            if (process != null) {
                process.destroyForcibly();
                try {
                    process.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
