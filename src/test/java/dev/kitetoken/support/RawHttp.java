package dev.kitetoken.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Sends a request line exactly as given, for inputs HTTP clients refuse to send (malformed percent
 * escapes, control characters), and returns the status line and body.
 */
public final class RawHttp {

    private RawHttp() {
    }

    public record Answer(int status, String text) {
    }

    /**
     * A request too large to be read whole: the server may answer (431, 414) and close while the headers are
     * still being written, so a write cut short is not a failure. The status if one came back, else empty (the
     * connection was closed on it unread).
     */
    public static java.util.Optional<Integer> oversized(int port, String target, String extraHeader) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            try {
                OutputStream out = socket.getOutputStream();
                out.write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n" + extraHeader + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException cutShort) {
                // the server stopped reading: what it answered, if anything, is still to be read
            }
            String text = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return text.startsWith("HTTP/1.1 ") ? java.util.Optional.of(Integer.parseInt(text.substring(9, 12))) : java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    public static Answer get(int port, String target, String accept) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nAccept: " + accept + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(text.substring(9, 12));
            return new Answer(status, text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
