package dev.kitetoken.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP relay to put between a replica and Redis (or any server), to make the faults production brings:
 * {@link #freeze()} holds every byte and keeps every socket open (a dead node, a dropped NAT entry: no FIN,
 * no RST), {@link #reset()} resets every connection, {@link #delay} slows each chunk, and
 * {@link #cutToServer()} / {@link #cutToClient()} silence one direction only. {@link #heal()} undoes them.
 */
public final class FaultRelay implements AutoCloseable {

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "fault-relay");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private volatile boolean frozen;
    private volatile boolean toServerCut;
    private volatile boolean toClientCut;
    private volatile Duration delay = Duration.ZERO;
    private volatile boolean closed;

    public FaultRelay(String host, int port) {
        this.target = new InetSocketAddress(host, port);
        try {
            // A port from the same registry as the replicas' (ServiceProcess.freePort): a relay bound on an
            // ephemeral port of its own could take one a replica was handed but has not bound yet.
            listener = new ServerSocket(ServiceProcess.freePort(), 512, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        threads.execute(this::accept);
    }

    /** A relay in front of this Redis URL (redis://host:port). */
    public static FaultRelay to(String redisUrl) {
        java.net.URI uri = java.net.URI.create(redisUrl);
        return new FaultRelay(uri.getHost(), uri.getPort());
    }

    public int port() {
        return listener.getLocalPort();
    }

    public String redisUrl() {
        return "redis://127.0.0.1:" + port();
    }

    /** Holds every byte in both directions; sockets stay open; new connections are accepted and held too. */
    public void freeze() {
        frozen = true;
    }

    public void cutToServer() {
        toServerCut = true;
    }

    public void cutToClient() {
        toClientCut = true;
    }

    public void delay(Duration each) {
        delay = each;
    }

    /** Resets every open connection (RST), as a crashed peer's host would. */
    public void reset() {
        for (Socket socket : sockets) {
            try {
                socket.setSoLinger(true, 0);
                socket.close();
            } catch (IOException e) {
                // already gone
            }
        }
        sockets.clear();
    }

    /** Back to a faithful relay: held bytes flow on. */
    public void heal() {
        frozen = false;
        toServerCut = false;
        toClientCut = false;
        delay = Duration.ZERO;
        synchronized (gate) {
            gate.notifyAll();
        }
    }

    @Override
    public void close() {
        closed = true;
        heal();
        try {
            listener.close();
        } catch (IOException e) {
            // closing
        }
        reset();
        threads.shutdownNow();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                client.setTcpNoDelay(true);
                Socket server = new Socket();
                server.connect(target, 2_000);
                server.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(server);
                threads.execute(() -> pump(client, server, true));
                threads.execute(() -> pump(server, client, false));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to, boolean toServer) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                awaitPassable(toServer);
                Duration wait = delay;
                if (!wait.isZero()) {
                    Thread.sleep(wait.toMillis());
                }
                out.write(buffer, 0, read);
                out.flush();
            }
            to.shutdownOutput();
        } catch (SocketException e) {
            // reset or closed: the other pump notices on its own
        } catch (IOException e) {
            // the peer went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (!frozen) {
                closeQuietly(from);
                closeQuietly(to);
            }
        }
    }

    private void awaitPassable(boolean toServer) throws InterruptedException {
        synchronized (gate) {
            while (!closed && (frozen || (toServer ? toServerCut : toClientCut))) {
                gate.wait(100);
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
