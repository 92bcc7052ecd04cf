package dev.kitetoken.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * nginx serving a body as a static file: the practical ceiling of an HTTP answer on this machine. One
 * worker per core, access log off, the same Cache-Control and content type as GET /token.
 */
final class Nginx implements AutoCloseable {

    private final Process process;
    private final int port;

    Nginx(Path dir, int port, String body) throws IOException {
        this.port = port;
        Path root = Files.createDirectories(dir.resolve("html"));
        Files.writeString(root.resolve("token.json"), body);
        Files.createDirectories(dir.resolve("logs"));
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, """
                worker_processes auto;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log warn;
                events { worker_connections 4096; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/tmp;
                    server {
                        listen 127.0.0.1:%2$d;
                        root %3$s;
                        location = /token {
                            default_type application/json;
                            add_header Cache-Control no-store;
                            try_files /token.json =404;
                        }
                    }
                }
                """.formatted(dir.toAbsolutePath(), port, root.toAbsolutePath()));
        process = new ProcessBuilder("nginx", "-p", dir.toAbsolutePath().toString(), "-c", conf.toAbsolutePath().toString(),
                "-g", "daemon off;").redirectErrorStream(true).redirectOutput(dir.resolve("logs/console.log").toFile()).start();
        Waits.untilListening(port, process);
    }

    String url() {
        return "http://127.0.0.1:" + port + "/token";
    }

    @Override
    public void close() {
        process.destroy();
    }
}
