import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mutation check of CI: applies each break listed in .ci/mutations.txt on its own, runs the tests it
 * names, and requires them to fail ("killed"). Prints what was killed; exits 1 if any break survived or
 * no longer applies. Every file is restored after its run, also when this program is interrupted.
 *
 *   java .ci/MutationCheck.java            (from the repository root, after ./mvnw verify)
 */
public class MutationCheck {

    record Mutation(String name, Path file, String find, String replace, String tests) {
    }

    public static void main(String[] args) throws Exception {
        List<Mutation> mutations = read(Path.of(".ci", "mutations.txt"));
        List<String> report = new ArrayList<>();
        int survived = 0;
        for (Mutation mutation : mutations) {
            String original = Files.readString(mutation.file(), StandardCharsets.UTF_8);
            int at = original.indexOf(mutation.find());
            if (at < 0 || original.indexOf(mutation.find(), at + 1) >= 0) {
                report.add("NOT APPLIED  " + mutation.name() + " (the text to replace is not in " + mutation.file() + " exactly once)");
                survived++;
                continue;
            }
            Thread restore = new Thread(() -> write(mutation.file(), original));
            Runtime.getRuntime().addShutdownHook(restore);
            long start = System.nanoTime();
            int exit;
            try {
                write(mutation.file(), original.replace(mutation.find(), mutation.replace()));
                exit = run(mutation);
            } finally {
                write(mutation.file(), original);
                Runtime.getRuntime().removeShutdownHook(restore);
            }
            String line = (exit != 0 ? "killed       " : "SURVIVED     ") + mutation.name() + "  [" + mutation.tests() + ", "
                    + (System.nanoTime() - start) / 1_000_000_000 + " s]";
            System.out.println("mutation-check: " + line);
            report.add(line);
            if (exit == 0) {
                survived++;
            }
        }
        System.out.println("mutation-check: " + (mutations.size() - survived) + " of " + mutations.size() + " breaks killed");
        report.forEach(line -> System.out.println("  " + line));
        System.exit(survived == 0 ? 0 : 1);
    }

    private static int run(Mutation mutation) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("./mvnw", "-B", "-q"));
        if (mutation.tests().startsWith("it:")) {
            command.addAll(List.of("verify", "-Dtest=none", "-Dsurefire.failIfNoSpecifiedTests=false",
                    "-Dit.test=" + mutation.tests().substring(3)));
        } else {
            command.addAll(List.of("test", "-Dtest=" + mutation.tests()));
        }
        Path log = Path.of("target", "mutation-check", mutation.name().replaceAll("[^A-Za-z0-9]+", "-") + ".log");
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return process.waitFor();
    }

    private static List<Mutation> read(Path spec) throws IOException {
        List<Mutation> mutations = new ArrayList<>();
        Map<String, String> fields = new LinkedHashMap<>();
        List<String> lines = new ArrayList<>(Files.readAllLines(spec, StandardCharsets.UTF_8));
        lines.add("");
        for (String line : lines) {
            if (line.startsWith("#")) {
                continue;
            }
            if (line.isBlank()) {
                if (!fields.isEmpty()) {
                    mutations.add(new Mutation(fields.get("name"), Path.of(fields.get("file")), fields.get("find"),
                            fields.getOrDefault("replace", ""), fields.get("tests")));
                    fields.clear();
                }
                continue;
            }
            int colon = line.indexOf(':');
            fields.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
        }
        return mutations;
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("could not write " + file, e);
        }
    }
}
