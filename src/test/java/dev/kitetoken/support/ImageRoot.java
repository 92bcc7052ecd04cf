package dev.kitetoken.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What a Dockerfile's image holds and runs, made without a Docker engine: its COPY lines fill a directory
 * standing for the image's root, its RUN lines run there (making the class archive), with this machine's
 * JDK of the same version standing in for the image's ({@link Dockerfile#javaHome()}). The tests and the
 * benchmark then run the ENTRYPOINT verbatim, paths moved under the root.
 */
public final class ImageRoot {

    private final Dockerfile dockerfile;
    private final Path root;
    private final Path javaHome;

    private ImageRoot(Dockerfile dockerfile, Path root) {
        this.dockerfile = dockerfile;
        this.root = root.toAbsolutePath();
        this.javaHome = dockerfile.javaHome();
    }

    /** Copies and runs what the Dockerfile does into {@code root}; a RUN that fails fails with its output. */
    public static ImageRoot build(Path dockerfilePath, Path root) throws IOException, InterruptedException {
        ImageRoot image = new ImageRoot(Dockerfile.parse(dockerfilePath), root);
        for (Dockerfile.Copy copy : image.dockerfile.copiesFromContext()) {
            image.copyIn(copy);
        }
        for (List<String> run : image.dockerfile.runs()) {
            ProcessBuilder builder = new ProcessBuilder(image.localised(run)).directory(image.workdir().toFile())
                    .redirectErrorStream(true);
            builder.environment().keySet().removeIf(key -> key.startsWith("KITE_") || key.startsWith("QUARKUS_"));
            builder.environment().putAll(image.environment());
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(dockerfilePath + ": RUN " + run + " did not end within 180 s");
            }
            if (process.exitValue() != 0) {
                List<String> lines = output.lines().toList();
                throw new AssertionError(dockerfilePath + ": RUN " + run + " exited " + process.exitValue() + ":\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
            }
        }
        return image;
    }

    /** The ENTRYPOINT with the image's paths under the root and the local java. */
    public List<String> entrypoint() {
        return localised(dockerfile.entrypoint());
    }

    /** The JVM options of the ENTRYPOINT, between java and -jar. */
    public List<String> jvmOptions() {
        List<String> entrypoint = entrypoint();
        return entrypoint.subList(1, entrypoint.indexOf("-jar"));
    }

    /** The value of the last {@code prefix...} option of the ENTRYPOINT, if it has one. */
    public java.util.Optional<String> option(String prefix) {
        return entrypoint().stream().filter(a -> a.startsWith(prefix)).map(a -> a.substring(prefix.length())).reduce((a, b) -> b);
    }

    public Path workdir() {
        return inImage(dockerfile.workdir());
    }

    /** The image's ENV, mutable for what a run adds. */
    public Map<String, String> environment() {
        return new HashMap<>(dockerfile.environment());
    }

    public Path javaHome() {
        return javaHome;
    }

    public Path inImage(String absolutePath) {
        return root.resolve(absolutePath.substring(1));
    }

    private List<String> localised(List<String> command) {
        List<String> local = new ArrayList<>();
        for (String argument : command) {
            local.add(local.isEmpty() && argument.equals("java") ? Jdks.java(javaHome)
                    : argument.replace("/deployments", inImage("/deployments").toString()));
        }
        return local;
    }

    private void copyIn(Dockerfile.Copy copy) throws IOException {
        Path destination = inImage(copy.destination());
        Files.createDirectories(destination);
        for (String source : copy.sources()) {
            Path from = Path.of(source);
            List<Path> matches;
            if (source.contains("*")) {
                PathMatcher matcher = from.getFileSystem().getPathMatcher("glob:" + source);
                try (Stream<Path> files = Files.list(from.getParent())) {
                    matches = files.filter(matcher::matches).toList();
                }
            } else {
                matches = Files.exists(from) ? List.of(from) : List.of();
            }
            if (matches.isEmpty()) {
                throw new AssertionError("COPY " + source + ": nothing in the build context (./mvnw package first)");
            }
            for (Path match : matches) {
                if (Files.isDirectory(match)) {
                    copyTree(match, destination);
                } else {
                    Files.copy(match, destination.resolve(match.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
