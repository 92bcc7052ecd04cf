package dev.kitetoken.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

/**
 * What docker/Dockerfile.native's runtime stage holds and runs, made without a Docker engine: its COPY
 * --from=build puts the executable this build made (the build stage's project is this one) at its place
 * with its mode, under a directory standing for the image's root; the tests and the benchmark then run its
 * ENTRYPOINT verbatim from its WORKDIR. The JVM images' counterpart is {@link ImageRoot}.
 */
public final class NativeImageRoot {

    private final Dockerfile dockerfile;
    private final Path root;
    private final Path executable;

    private NativeImageRoot(Dockerfile dockerfile, Path root, Path executable) {
        this.dockerfile = dockerfile;
        this.root = root;
        this.executable = executable;
    }

    public static NativeImageRoot build(Path dockerfilePath, Path root) throws IOException {
        Dockerfile dockerfile = Dockerfile.parse(dockerfilePath);
        List<Dockerfile.StageCopy> copies = dockerfile.copiesFromStages();
        if (copies.size() != 1) {
            throw new AssertionError(dockerfilePath + ": the runtime stage should copy the executable alone, not " + copies);
        }
        Dockerfile.StageCopy copy = copies.get(0);
        String project = dockerfile.workdirOf(copy.stage());
        Path destination = root.toAbsolutePath().resolve(copy.destination().substring(1));
        Files.createDirectories(destination.getParent());
        for (String source : copy.sources()) {
            if (!source.startsWith(project)) {
                throw new AssertionError(dockerfilePath + ": COPY " + source + " is not in the build stage's project " + project);
            }
            for (Path match : matches(Path.of(source.substring(project.length()).replaceFirst("^/", "")))) {
                Files.copy(match, destination, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (!Files.isRegularFile(destination)) {
            throw new AssertionError(dockerfilePath + ": COPY " + copy.sources() + " found nothing (./mvnw package -Dnative first)");
        }
        Files.setPosixFilePermissions(destination, PosixFilePermissions.fromString(mode(copy.chmod())));
        return new NativeImageRoot(dockerfile, root.toAbsolutePath(), destination);
    }

    public Dockerfile dockerfile() {
        return dockerfile;
    }

    /** Where the executable is, under the root. */
    public Path executable() {
        return executable;
    }

    /** The ENTRYPOINT as it stands (relative to the WORKDIR). */
    public List<String> entrypoint() {
        return dockerfile.entrypoint();
    }

    public Path workdir() {
        return root.resolve(dockerfile.workdir().substring(1));
    }

    /** An octal --chmod as rwx letters; Docker's default keeps the file's mode, 0755 here. */
    static String mode(String chmod) {
        int octal = Integer.parseInt(chmod == null ? "0755" : chmod, 8);
        StringBuilder mode = new StringBuilder();
        for (int shift = 6; shift >= 0; shift -= 3) {
            int bits = (octal >> shift) & 7;
            mode.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-').append((bits & 1) != 0 ? 'x' : '-');
        }
        return mode.toString();
    }

    private static List<Path> matches(Path pattern) throws IOException {
        PathMatcher matcher = pattern.getFileSystem().getPathMatcher("glob:" + pattern);
        try (Stream<Path> files = Files.list(pattern.getParent())) {
            return files.filter(matcher::matches).toList();
        }
    }
}
