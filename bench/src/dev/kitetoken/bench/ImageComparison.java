package dev.kitetoken.bench;

import static io.restassured.RestAssured.given;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.kitetoken.support.ImageRoot;
import dev.kitetoken.support.NativeImageRoot;
import dev.kitetoken.support.ServiceProcess;

/**
 * The images side by side, each as its Dockerfile makes and runs it ({@link ImageRoot}: Java 17 with AppCDS,
 * Java 25 with an AOT cache; {@link NativeImageRoot}: the native executable this build made): start-ups
 * interleaved so that the machine's noise falls on all alike, then one run of each for the first requests,
 * the throughput and p99 after a warm-up (nginx serving the same body measured in between, as the ceiling),
 * and the RSS after start and after that load.
 */
final class ImageComparison {

    record Result(String dockerfile, String runtime, long[] startups, double firstLoginMs, double firstTokenMs,
            double requestsPerSecond, double p99Ms, long rssAfterStartKb, long rssAfterLoadKb, double nginxRequestsPerSecond,
            double nginxP99Ms) {
    }

    /** An image ready to run: its ENTRYPOINT, from its WORKDIR, with its ENV. */
    private record Runnable(List<String> entrypoint, Path workdir, Map<String, String> environment, String runtime) {
    }

    private final Path work;
    private final int port;
    private final Map<String, String> serviceEnvironment;
    private final String authorization;
    private final Supplier<String> logIn;

    ImageComparison(Path work, int port, Map<String, String> serviceEnvironment, String authorization, Supplier<String> logIn) {
        this.work = work;
        this.port = port;
        this.serviceEnvironment = serviceEnvironment;
        this.authorization = authorization;
        this.logIn = logIn;
    }

    List<Result> run(List<String> dockerfiles, int starts, Duration warmup, Duration measure, int connections) throws Exception {
        Map<String, Runnable> images = new LinkedHashMap<>();
        for (String dockerfile : dockerfiles) {
            Path root = work.resolve(Path.of(dockerfile).getFileName().toString());
            if (dockerfile.endsWith(".native")) {
                NativeImageRoot image = NativeImageRoot.build(Path.of(dockerfile), root);
                images.put(dockerfile, new Runnable(image.entrypoint(), image.workdir(), new java.util.HashMap<>(), "native (GraalVM 25)"));
            } else {
                ImageRoot image = ImageRoot.build(Path.of(dockerfile), root);
                images.put(dockerfile, new Runnable(image.entrypoint(), image.workdir(), image.environment(), runtime(image)));
            }
        }
        Map<String, long[]> startups = new LinkedHashMap<>();
        images.keySet().forEach(dockerfile -> startups.put(dockerfile, new long[starts]));
        for (int i = 0; i < starts; i++) {
            for (Map.Entry<String, Runnable> image : images.entrySet()) {
                try (ServiceProcess once = launch(image.getValue(), "bench-image-start-" + i)) {
                    startups.get(image.getKey())[i] = once.readyAfter().toNanos();
                }
            }
        }
        List<Result> results = new ArrayList<>();
        for (Map.Entry<String, Runnable> image : images.entrySet()) {
            try (ServiceProcess service = launch(image.getValue(), "bench-image-load")) {
                long rssAfterStart = Bench.rssKb(service.pid());
                long started = System.nanoTime();
                logIn.get();
                double firstLogin = (System.nanoTime() - started) / 1e6;
                started = System.nanoTime();
                given().header("Authorization", authorization).get(service.url() + "/token").then().statusCode(200);
                double firstToken = (System.nanoTime() - started) / 1e6;
                Wrk wrk = new Wrk(connections, 2);
                wrk.run("warm-up", service.url() + "/token", authorization, warmup);
                Wrk.Result load = wrk.run(image.getKey(), service.url() + "/token", authorization, measure);
                long rssAfterLoad = Bench.rssKb(service.pid());
                String body = given().header("Authorization", authorization).get(service.url() + "/token").asString();
                // The ceiling, right after each image's run: nginx serving the same body, the service idle.
                Wrk.Result nginx;
                try (Nginx server = new Nginx(work.resolve("nginx-" + results.size()), ServiceProcess.freePort(), body)) {
                    nginx = wrk.run("nginx", server.url(), authorization, measure);
                }
                results.add(new Result(image.getKey(), image.getValue().runtime(), startups.get(image.getKey()), firstLogin, firstToken,
                        load.requestsPerSecond(), load.p99(), rssAfterStart, rssAfterLoad, nginx.requestsPerSecond(), nginx.p99()));
            }
        }
        return results;
    }

    private ServiceProcess launch(Runnable image, String name) {
        Map<String, String> environment = new java.util.HashMap<>(image.environment());
        environment.putAll(serviceEnvironment);
        return ServiceProcess.launch(name, port, environment, image.entrypoint(), image.workdir());
    }

    private static String runtime(ImageRoot image) {
        return "Java " + Runtime.Version.parse(release(image.javaHome())).feature()
                + (image.option("-XX:AOTCache=").isPresent() ? ", AOT cache" : ", AppCDS");
    }

    /** JAVA_VERSION from the JDK's release file. */
    private static String release(Path javaHome) {
        try {
            return java.nio.file.Files.readAllLines(javaHome.resolve("release")).stream()
                    .filter(line -> line.startsWith("JAVA_VERSION=")).findFirst()
                    .map(line -> line.substring("JAVA_VERSION=".length()).replace("\"", "")).orElse("0");
        } catch (java.io.IOException e) {
            return "0";
        }
    }
}
