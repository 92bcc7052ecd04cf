package dev.kitetoken.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How to launch the packaged application: the native executable when the build made one
 * ({@code ./mvnw verify -Dnative}; failsafe passes its path as native.image.path), the jar otherwise.
 */
public final class PackagedApp {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    private PackagedApp() {
    }

    public static boolean isNative() {
        String path = System.getProperty("native.image.path");
        return path != null && Files.isExecutable(Path.of(path));
    }

    /** The command line, with these JVM-only options used when it is the jar. */
    public static List<String> command(String... jvmOptions) {
        if (isNative()) {
            return List.of(System.getProperty("native.image.path"));
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.add("-jar");
        command.add(JAR.toString());
        return command;
    }
}
