package dev.kitetoken.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

final class Waits {

    private Waits() {
    }

    static void untilListening(int port, Process process) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("process exited with " + process.exitValue());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 100);
                return;
            } catch (IOException e) {
                pause(20);
            }
        }
        throw new IllegalStateException("nothing listens on " + port);
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
