package dev.kitetoken.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The instructions of a Dockerfile, read the way Docker reads them, so that tests can carry them out. */
public record Dockerfile(Path path, List<Instruction> instructions) {

    public record Instruction(String keyword, String arguments) {

        public List<String> words() {
            return Arrays.stream(arguments.strip().split("\\s+")).toList();
        }

        /** The exec form, ["a", "b"], as a list; null for the shell form. */
        public List<String> execForm() {
            if (!arguments.strip().startsWith("[")) {
                return null;
            }
            try {
                return new ObjectMapper().readValue(arguments, new TypeReference<List<String>>() {
                });
            } catch (IOException e) {
                throw new AssertionError("not a JSON array: " + arguments, e);
            }
        }
    }

    /** One COPY without --from: the build-context sources and the destination. */
    public record Copy(List<String> sources, String destination) {
    }

    public static Dockerfile parse(Path path) throws IOException {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String line : Files.readAllLines(path)) {
            if (pending.isEmpty() && (line.isBlank() || line.stripLeading().startsWith("#"))) {
                continue;
            }
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            pending.append(line);
            String text = pending.toString().strip();
            pending.setLength(0);
            int space = text.indexOf(' ');
            instructions.add(new Instruction(text.substring(0, space).toUpperCase(), text.substring(space + 1).strip()));
        }
        return new Dockerfile(path, instructions);
    }

    public List<Instruction> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** The environment the last stage's processes get from ENV (KEY=value, quotes removed). */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        for (Instruction instruction : lastStage()) {
            if (instruction.keyword().equals("ENV")) {
                String text = instruction.arguments();
                int equals = text.indexOf('=');
                int space = text.indexOf(' ');
                if (equals < 0 || (space >= 0 && space < equals)) {
                    env.put(text.substring(0, space), unquote(text.substring(space + 1).strip()));
                } else {
                    env.put(text.substring(0, equals), unquote(text.substring(equals + 1).strip()));
                }
            }
        }
        return env;
    }

    public List<Copy> copiesFromContext() {
        List<Copy> copies = new ArrayList<>();
        for (Instruction copy : all("COPY")) {
            List<String> words = copy.words().stream().filter(w -> !w.startsWith("--")).toList();
            if (copy.words().stream().noneMatch(w -> w.startsWith("--from="))) {
                copies.add(new Copy(words.subList(0, words.size() - 1), words.get(words.size() - 1)));
            }
        }
        return copies;
    }

    /** A COPY from an earlier stage: its stage, sources (paths in that stage), destination and --chmod. */
    public record StageCopy(String stage, List<String> sources, String destination, String chmod) {
    }

    /** The last stage's COPY --from=... lines. */
    public List<StageCopy> copiesFromStages() {
        List<StageCopy> copies = new ArrayList<>();
        for (Instruction copy : lastStage()) {
            if (!copy.keyword().equals("COPY")) {
                continue;
            }
            String stage = option(copy, "--from=");
            if (stage != null) {
                List<String> words = copy.words().stream().filter(w -> !w.startsWith("--")).toList();
                copies.add(new StageCopy(stage, words.subList(0, words.size() - 1), words.get(words.size() - 1), option(copy, "--chmod=")));
            }
        }
        return copies;
    }

    /** The WORKDIR of the stage named {@code name} ({@code FROM ... AS name}). */
    public String workdirOf(String name) {
        String workdir = "/";
        boolean inStage = false;
        for (Instruction instruction : instructions) {
            if (instruction.keyword().equals("FROM")) {
                List<String> words = instruction.words();
                inStage = words.size() >= 3 && words.get(words.size() - 2).equalsIgnoreCase("AS") && words.get(words.size() - 1).equals(name);
            } else if (inStage && instruction.keyword().equals("WORKDIR")) {
                workdir = instruction.arguments();
            }
        }
        return workdir;
    }

    /** The image of the stage named {@code name}. */
    public String fromOf(String name) {
        for (Instruction instruction : all("FROM")) {
            List<String> words = instruction.words();
            if (words.size() >= 3 && words.get(words.size() - 1).equals(name)) {
                return words.get(0);
            }
        }
        throw new AssertionError(path + ": no stage " + name);
    }

    /** The ports of the last stage's EXPOSE lines. */
    public List<Integer> exposed() {
        return lastStage().stream().filter(i -> i.keyword().equals("EXPOSE")).flatMap(i -> i.words().stream())
                .map(port -> Integer.valueOf(port.replaceAll("/.*", ""))).toList();
    }

    private static String option(Instruction instruction, String prefix) {
        return instruction.words().stream().filter(w -> w.startsWith(prefix)).map(w -> w.substring(prefix.length())).findFirst().orElse(null);
    }

    /** The last stage's RUN instructions in exec form (a shell-form RUN fails the test that needs them). */
    public List<List<String>> runs() {
        return lastStage().stream().filter(i -> i.keyword().equals("RUN")).map(run -> {
            List<String> exec = run.execForm();
            if (exec == null) {
                throw new AssertionError(path + ": RUN " + run.arguments() + " is not in exec form, so no test can run it as the image does");
            }
            return exec;
        }).toList();
    }

    public List<String> entrypoint() {
        List<Instruction> entrypoints = all("ENTRYPOINT");
        List<String> exec = entrypoints.get(entrypoints.size() - 1).execForm();
        if (exec == null) {
            throw new AssertionError(path + ": the ENTRYPOINT is not in exec form");
        }
        return exec;
    }

    public String workdir() {
        List<Instruction> workdirs = all("WORKDIR");
        return workdirs.isEmpty() ? "/" : workdirs.get(workdirs.size() - 1).arguments();
    }

    /** The image the last stage builds on. */
    public String from() {
        return lastStage().get(0).words().get(0);
    }

    /**
     * This machine's java standing in for the image's: Debian's default JDK 17 for a Java 17 base, the Temurin
     * 25 JDK (JAVA25_HOME, or under /usr/lib/jvm) for a Java 25 one.
     */
    public Path javaHome() {
        String base = from();
        if (base.contains("openjdk-17")) {
            return Path.of(System.getProperty("java.home"));
        }
        if (base.contains("temurin:25")) {
            return Jdks.java25();
        }
        throw new AssertionError(path + ": no local JDK stands in for " + base);
    }

    public String user() {
        List<Instruction> users = all("USER");
        return users.isEmpty() ? "root" : users.get(users.size() - 1).arguments();
    }

    private List<Instruction> lastStage() {
        int from = 0;
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).keyword().equals("FROM")) {
                from = i;
            }
        }
        return instructions.subList(from, instructions.size());
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }
}
