package dev.kitetoken.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import dev.kitetoken.support.Dockerfile;

/**
 * The overlays as a cluster receives them: rendered by {@code kubectl kustomize} (kustomize v5), then one
 * test per rule. The tests need kubectl; .ci/run checks that it is there.
 */
class RenderedOverlaysTest {

    private static final List<String> CLUSTER_SCOPED = List.of("Namespace", "ClusterRole", "ClusterRoleBinding", "IngressClass");

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void everyNamespaceUsedIsCreated(String overlay) {
        List<Map<String, Object>> rendered = render(overlay);
        List<String> created = rendered.stream().filter(r -> "Namespace".equals(r.get("kind"))).map(r -> name(r)).toList();
        List<String> used = rendered.stream().filter(r -> !CLUSTER_SCOPED.contains(r.get("kind")))
                .map(r -> (String) map(r.get("metadata")).get("namespace")).distinct().toList();
        assertThat(used).as("every namespaced object names its namespace").doesNotContainNull().isNotEmpty();
        assertThat(created).containsAll(used);
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void theIngressRoutesTheHostOfThePublicUrl(String overlay) {
        List<Map<String, Object>> rendered = render(overlay);
        String host = URI.create((String) map(find(rendered, "ConfigMap", "kite-token-service").get("data")).get("KITE_PUBLIC_URL")).getHost();
        Map<String, Object> ingress = map(find(rendered, "Ingress", "kite-token-service").get("spec"));
        assertThat(host).isEqualTo(platform(overlay).get("host"));
        assertThat(list(ingress.get("rules"))).extracting(rule -> rule.get("host")).containsOnly(host);
        assertThat(list(ingress.get("tls")).stream().flatMap(tls -> ((List<?>) tls.get("hosts")).stream()).map(Object::toString).toList()).containsOnly(host);
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void theNetworkPolicyAdmitsTheControllerOfTheIngressClassAndPrometheus(String overlay) {
        List<Map<String, Object>> rendered = render(overlay);
        Map<String, String> platform = platform(overlay);
        assertThat(map(find(rendered, "Ingress", "kite-token-service").get("spec")).get("ingressClassName"))
                .isEqualTo(platform.get("ingressClassName"));
        List<String> admitted = new ArrayList<>();
        for (Map<String, Object> rule : list(map(find(rendered, "NetworkPolicy", "kite-token-service").get("spec")).get("ingress"))) {
            for (Map<String, Object> from : list(rule.get("from"))) {
                Object labels = from.get("namespaceSelector") == null ? null : map(from.get("namespaceSelector")).get("matchLabels");
                if (labels != null && from.get("podSelector") == null) {
                    Object port = list(rule.get("ports")).get(0).get("port");
                    admitted.add(map(labels).get("kubernetes.io/metadata.name") + ":" + port);
                }
            }
        }
        assertThat(admitted).containsExactlyInAnyOrder(platform.get("ingressControllerNamespace") + ":8080",
                platform.get("monitoringNamespace") + ":9000");
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void unhealthyPodsCanBeEvicted(String overlay) {
        Map<String, Object> budget = map(find(render(overlay), "PodDisruptionBudget", "kite-token-service").get("spec"));
        assertThat(budget.get("unhealthyPodEvictionPolicy")).isEqualTo("AlwaysAllow");
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void theCpuLimitIsTheProcessorCountTheImagePins(String overlay) throws IOException {
        Map<String, Object> container = list(map(map(map(find(render(overlay), "Deployment", "kite-token-service").get("spec"))
                .get("template")).get("spec")).get("containers")).get(0);
        String pinned = Dockerfile.parse(Path.of("docker/Dockerfile.jvm-aot")).entrypoint().stream()
                .filter(a -> a.startsWith("-XX:ActiveProcessorCount=")).map(a -> a.substring(a.indexOf('=') + 1)).findFirst()
                .orElseThrow(() -> new AssertionError("docker/Dockerfile.jvm-aot pins no -XX:ActiveProcessorCount"));
        assertThat(map(map(container.get("resources")).get("limits")).get("cpu")).isEqualTo(pinned);
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void everyPodTheServiceMayReachIsOneTheOverlayDeploys(String overlay) {
        List<Map<String, Object>> rendered = render(overlay);
        List<Map<String, Object>> podLabels = rendered.stream()
                .filter(r -> List.of("Deployment", "StatefulSet").contains(r.get("kind")))
                .map(r -> map(map(map(map(r.get("spec")).get("template")).get("metadata")).get("labels"))).toList();
        for (Map<String, Object> rule : list(map(find(rendered, "NetworkPolicy", "kite-token-service").get("spec")).get("egress"))) {
            for (Map<String, Object> peer : list(rule.get("to"))) {
                if (peer.containsKey("podSelector") && !peer.containsKey("namespaceSelector")) {
                    Map<String, Object> selector = map(map(peer.get("podSelector")).get("matchLabels"));
                    assertThat(podLabels).as("egress to %s: no pod of the %s overlay carries these labels", selector, overlay)
                            .anySatisfy(labels -> assertThat(labels).containsAllEntriesOf(selector));
                }
            }
        }
    }

    @Test
    void prodReachesItsRedisByAddressOnThePlainTlsAndSentinelPorts() {
        Map<String, Object> policy = find(render("prod"), "NetworkPolicy", "kite-token-service");
        String cidr = platform("prod").get("redisCidr");
        assertThat(list(map(policy.get("spec")).get("egress")))
                .anySatisfy(rule -> {
                    assertThat(list(rule.get("to"))).anySatisfy(peer -> assertThat(map(peer.get("ipBlock")).get("cidr")).isEqualTo(cidr));
                    assertThat(list(rule.get("ports"))).extracting(port -> port.get("port")).contains(6379, 6380, 26379);
                });
    }

    @Test
    void theTradingPodExampleNamesTheServiceByItsFullyQualifiedName() throws IOException {
        String namespace = (String) map(find(render("prod"), "Service", "kite-token-service-internal").get("metadata")).get("namespace");
        String example = Files.readString(Path.of("k8s/examples/trading-pod.yaml"));
        Matcher hosts = Pattern.compile("(?:https?|redis)://(?:[^@/\\s]+@)?([a-z0-9.-]+)").matcher(example);
        List<String> found = new ArrayList<>();
        while (hosts.find()) {
            found.add(hosts.group(1));
        }
        assertThat(found).contains("kite-token-service-internal." + namespace + ".svc.cluster.local")
                .allSatisfy(host -> assertThat(host).endsWith(".svc.cluster.local"));
    }

    /**
     * Issue 21: the Secret made as docs/deploy.md says (kubectl create secret generic --from-env-file=.env, from a
     * copy of .env.example with its blanks filled in) must not override a setting of the platform: the pod's
     * environment is worked out as the kubelet does (envFrom in order, the later source winning, then env).
     */
    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void aSecretMadeTheDocumentedWayOverridesNoSetting(String overlay) throws IOException {
        List<Map<String, Object>> rendered = render(overlay);
        Map<String, String> configMap = strings(map(find(rendered, "ConfigMap", "kite-token-service").get("data")));
        Map<String, String> secret = secretFromEnvFile(filledInEnvExample());
        Map<String, Object> container = list(map(map(map(find(rendered, "Deployment", "kite-token-service").get("spec"))
                .get("template")).get("spec")).get("containers")).get(0);

        Map<String, String> environment = new java.util.HashMap<>();
        for (Map<String, Object> source : list(container.get("envFrom"))) {
            if (source.containsKey("configMapRef")) {
                assertThat(map(source.get("configMapRef")).get("name")).isEqualTo("kite-token-service");
                environment.putAll(configMap);
            } else {
                assertThat(map(source.get("secretRef")).get("name")).isEqualTo("kite-token-service");
                environment.putAll(secret);
            }
        }
        for (Map<String, Object> variable : container.get("env") == null ? List.<Map<String, Object>>of() : list(container.get("env"))) {
            Map<String, Object> from = variable.get("valueFrom") == null ? null : map(variable.get("valueFrom"));
            String value = from == null ? (String) variable.get("value")
                    : from.containsKey("configMapKeyRef") ? configMap.get(map(from.get("configMapKeyRef")).get("key"))
                    : secret.get(map(from.get("secretKeyRef")).get("key"));
            environment.put((String) variable.get("name"), value);
        }

        assertThat(environment.get("KITE_PUBLIC_URL")).isEqualTo("https://" + platform(overlay).get("host"));
        assertThat(environment).as("every setting of the ConfigMap reaches the pod as the ConfigMap says").containsAllEntriesOf(configMap);
        assertThat(environment).as("every secret reaches the pod").containsAllEntriesOf(secret);
        assertThat(environment.values()).as("nothing local from .env.example").noneMatch(v -> v.contains("localhost"));
    }

    /** .env.example as a person fills it in: every blank value given one, every other line as it stands. */
    private static Path filledInEnvExample() throws IOException {
        List<String> lines = Files.readAllLines(Path.of(".env.example")).stream()
                .map(line -> line.matches("[A-Z_]+=") ? line + "filled-in-" + line.substring(0, line.length() - 1).toLowerCase() : line)
                .toList();
        Path env = Files.createTempFile("kite-env", ".env");
        Files.write(env, lines);
        env.toFile().deleteOnExit();
        return env;
    }

    /** kubectl create secret generic --from-env-file, as docs/deploy.md says, rendered without a cluster. */
    private static Map<String, String> secretFromEnvFile(Path envFile) {
        String yaml = kubectl("create", "secret", "generic", "kite-token-service", "--from-env-file=" + envFile,
                "--dry-run=client", "-o", "yaml");
        Map<String, String> data = new java.util.HashMap<>();
        map(new Yaml().<Map<String, Object>>load(yaml).get("data")).forEach((key, value) -> data.put(key,
                new String(java.util.Base64.getDecoder().decode((String) value), StandardCharsets.UTF_8)));
        return data;
    }

    private static Map<String, String> strings(Map<String, Object> data) {
        Map<String, String> strings = new java.util.HashMap<>();
        data.forEach((key, value) -> strings.put(key, String.valueOf(value)));
        return strings;
    }

    private static String kubectl(String... arguments) {
        List<String> command = new ArrayList<>(List.of("kubectl"));
        command.addAll(List.of(arguments));
        try {
            Process kubectl = new ProcessBuilder(command).redirectErrorStream(false).start();
            String out = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(kubectl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!kubectl.waitFor(60, TimeUnit.SECONDS) || kubectl.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed: " + err);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError("these tests need kubectl (kustomize v5), which is missing: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** kubectl kustomize k8s/overlays/&lt;overlay&gt;, parsed. */
    static List<Map<String, Object>> render(String overlay) {
        String out = kubectl("kustomize", Path.of("k8s", "overlays", overlay).toString());
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml().loadAll(out)) {
            documents.add(map(document));
        }
        return documents;
    }

    /** The overlay's platform settings, the one place they are set. */
    private static Map<String, String> platform(String overlay) {
        try {
            Map<String, Object> configMap = new Yaml().load(Files.readString(Path.of("k8s", "overlays", overlay, "platform.yaml")));
            @SuppressWarnings("unchecked")
            Map<String, String> data = (Map<String, String>) configMap.get("data");
            return data;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, Object> find(List<Map<String, Object>> rendered, String kind, String name) {
        return rendered.stream().filter(r -> kind.equals(r.get("kind")) && name.equals(name(r))).findFirst()
                .orElseThrow(() -> new AssertionError("the render has no " + kind + " " + name));
    }

    private static String name(Map<String, Object> resource) {
        return (String) Objects.requireNonNull(map(resource.get("metadata")).get("name"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<Map<String, Object>>) value;
    }
}
