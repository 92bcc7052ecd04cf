package dev.kitetoken.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import dev.kitetoken.config.KiteConfig;

/**
 * The manifests in k8s/ and the files in docker/ against the code: the probes hit the health endpoints on
 * the management port, every variable set is one the service reads, selectors select what they mean to,
 * and /token is never routed from outside.
 */
class KubernetesManifestsTest {

    private static final Set<String> QUARKUS_VARIABLES = Set.of("QUARKUS_REDIS_HOSTS");
    private static final Set<String> HEALTH_PATHS = Set.of("/q/health/live", "/q/health/ready", "/q/health/started");

    private static List<Map<String, Object>> documents;
    private static Properties application;

    @BeforeAll
    static void parse() throws IOException {
        documents = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("k8s"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object document : new Yaml().loadAll(Files.readString(file))) {
                    assertThat(document).as("%s parses to YAML objects", file).isInstanceOf(Map.class);
                    @SuppressWarnings("unchecked")
                    Map<String, Object> manifest = (Map<String, Object>) document;
                    manifest.put("__file", file.toString());
                    documents.add(manifest);
                }
            }
        }
        application = new Properties();
        try (var in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            application.load(in);
        }
    }

    @Test
    void probesHitTheHealthEndpointsOnTheManagementPort() {
        Map<String, Object> container = serviceContainer();
        Map<String, Integer> ports = new java.util.HashMap<>();
        for (Map<String, Object> port : list(container.get("ports"))) {
            ports.put((String) port.get("name"), (Integer) port.get("containerPort"));
        }
        assertThat(ports).containsEntry("http", Integer.valueOf(application.getProperty("quarkus.http.port")))
                .containsEntry("management", Integer.valueOf(application.getProperty("quarkus.management.port")));
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            Map<String, Object> get = map(map(container.get(probe)).get("httpGet"));
            assertThat(get.get("port")).as(probe).isEqualTo("management");
            assertThat(HEALTH_PATHS).as(probe).contains((String) get.get("path"));
        }
        Map<String, Object> annotations = map(map(map(map(deployment("kite-token-service").get("spec")).get("template")).get("metadata")).get("annotations"));
        assertThat(annotations).containsEntry("prometheus.io/port", application.getProperty("quarkus.management.port"))
                .containsEntry("prometheus.io/path", "/q/metrics");
    }

    @Test
    void everyVariableSetIsOneTheServiceReadsAndTheRequiredOnesAreSet() throws IOException {
        Set<String> read = variablesTheServiceReads();
        Set<String> configMap = map(manifest("ConfigMap", "kite-token-service").get("data")).keySet();
        Set<String> secret = map(manifest("Secret", "kite-token-service").get("stringData")).keySet();
        Set<String> envExample = Files.readAllLines(Path.of(".env.example")).stream()
                .filter(line -> line.matches("[A-Z_]+=.*")).map(line -> line.substring(0, line.indexOf('='))).collect(Collectors.toSet());

        for (Set<String> set : List.of(configMap, secret, envExample)) {
            assertThat(read).containsAll(set);
        }
        Set<String> provided = new HashSet<>(configMap);
        provided.addAll(secret);
        assertThat(provided).contains("KITE_API_KEY", "KITE_API_SECRET", "KITE_READER_TOKENS", "KITE_ALLOWED_USER_IDS",
                "QUARKUS_REDIS_HOSTS");
        assertThat(envExample).as(".env.example holds the secrets, the Secret template's keys, and nothing else")
                .isEqualTo(secret);
        assertThat(secret).doesNotContainAnyElementsOf(configMap);
        String configuration = Files.readString(Path.of("docs/configuration.md"));
        assertThat(read).as("docs/configuration.md explains every variable")
                .allSatisfy(variable -> assertThat(configuration).contains("`" + variable + "`"));
    }

    @Test
    void selectorsSelectThePodsTheyMeanTo() {
        Map<String, Object> serviceLabels = podLabels(deployment("kite-token-service"));
        Map<String, Object> redisLabels = podLabels(deployment("kite-redis"));
        assertThat(map(map(deployment("kite-token-service").get("spec")).get("selector")).get("matchLabels")).isEqualTo(serviceLabels);
        for (String name : List.of("kite-token-service", "kite-token-service-internal", "kite-token-service-peers")) {
            assertThat(map(manifest("Service", name).get("spec")).get("selector")).isEqualTo(serviceLabels);
        }
        assertThat(map(map(manifest("PodDisruptionBudget", "kite-token-service").get("spec")).get("selector")).get("matchLabels"))
                .isEqualTo(serviceLabels);

        Map<String, Object> policy = map(manifest("NetworkPolicy", "kite-token-service").get("spec"));
        assertThat(map(policy.get("podSelector")).get("matchLabels")).isEqualTo(serviceLabels);
        List<Object> egressPodSelectors = list(policy.get("egress")).stream().flatMap(rule -> list(rule.get("to")).stream())
                .filter(to -> to.containsKey("podSelector")).map(to -> map(to.get("podSelector")).get("matchLabels")).toList();
        // Redis, and the other replicas' management port (KITE_PEERS); nothing else inside the cluster.
        assertThat(egressPodSelectors).containsExactly(redisLabels, serviceLabels);

        Map<String, Object> redisPolicy = map(manifest("NetworkPolicy", "kite-redis").get("spec"));
        assertThat(map(redisPolicy.get("podSelector")).get("matchLabels")).isEqualTo(redisLabels);
        List<Object> redisClients = list(redisPolicy.get("ingress")).stream().flatMap(rule -> list(rule.get("from")).stream())
                .map(from -> map(from.get("podSelector")).get("matchLabels")).toList();
        assertThat(redisClients).contains(serviceLabels, Map.of("kite-token-service/reader", "true"));
        for (Map<String, Object> pod : documents.stream().filter(d -> "Pod".equals(d.get("kind"))).toList()) {
            assertThat(map(map(pod.get("metadata")).get("labels"))).containsEntry("kite-token-service/reader", "true");
        }
    }

    /** Issue 24: KITE_PEERS names a headless Service on the management port, which the replicas may reach. */
    @Test
    void thePeersAreEveryPodOnTheManagementPort() {
        Object peers = map(manifest("ConfigMap", "kite-token-service").get("data")).get("KITE_PEERS");
        Map<String, Object> service = map(manifest("Service", "kite-token-service-peers").get("spec"));
        assertThat(service.get("clusterIP")).as("headless: the name resolves to every pod").isEqualTo("None");
        assertThat(service.get("publishNotReadyAddresses")).isEqualTo(true);
        Map<String, Object> port = map(list(service.get("ports")).get(0));
        assertThat(port.get("targetPort")).isEqualTo("management");
        assertThat(peers).isEqualTo("http://kite-token-service-peers:" + port.get("port"));
        Map<String, Object> policy = map(manifest("NetworkPolicy", "kite-token-service").get("spec"));
        Map<String, Object> serviceLabels = podLabels(deployment("kite-token-service"));
        List<Object> fromReplicas = list(policy.get("ingress")).stream()
                .filter(rule -> list(rule.get("from")).stream().anyMatch(from -> from.containsKey("podSelector")
                        && serviceLabels.equals(map(from.get("podSelector")).get("matchLabels"))))
                .flatMap(rule -> list(rule.get("ports")).stream()).map(p -> p.get("port")).toList();
        assertThat(fromReplicas).as("the replicas reach each other's management port only").containsExactly(port.get("port"));
    }

    @Test
    void theIngressRoutesTheLoginPagesAndNothingElse() {
        Map<String, Object> ingress = manifest("Ingress", "kite-token-service");
        List<String> paths = list(map(ingress.get("spec")).get("rules")).stream()
                .flatMap(rule -> list(map(rule.get("http")).get("paths")).stream()).map(path -> {
                    assertThat(path.get("pathType")).isEqualTo("Exact");
                    return (String) path.get("path");
                }).toList();
        assertThat(paths).containsExactlyInAnyOrder("/", "/login", "/callback", "/style.css");
    }

    @Test
    void podsRunLockedDown() {
        for (String name : List.of("kite-token-service", "kite-redis")) {
            Map<String, Object> pod = map(map(map(deployment(name).get("spec")).get("template")).get("spec"));
            assertThat(pod.get("automountServiceAccountToken")).as(name).isEqualTo(false);
            assertThat(map(pod.get("securityContext"))).as(name).containsEntry("runAsNonRoot", true)
                    .containsEntry("seccompProfile", Map.of("type", "RuntimeDefault"));
            for (Map<String, Object> container : list(pod.get("containers"))) {
                assertThat(map(container.get("securityContext"))).as(name)
                        .containsEntry("allowPrivilegeEscalation", false)
                        .containsEntry("readOnlyRootFilesystem", true)
                        .containsEntry("capabilities", Map.of("drop", List.of("ALL")));
                assertThat(map(container.get("resources"))).as(name).containsKeys("requests", "limits");
            }
        }
        Map<String, Object> strategy = map(map(deployment("kite-token-service").get("spec")).get("strategy"));
        assertThat(map(strategy.get("rollingUpdate"))).containsEntry("maxUnavailable", 0);
        assertThat(map(deployment("kite-token-service").get("spec")).get("replicas")).isEqualTo(2);
        assertThat(manifest("ServiceAccount", "kite-token-service").get("automountServiceAccountToken")).isEqualTo(false);
    }

    @Test
    void theImageNameIsTheOneTheDockerFilesBuild() throws IOException {
        String image = (String) serviceContainer().get("image");
        assertThat(image).isEqualTo("kite-token-service:jvm");
        assertThat(Files.readString(Path.of("docker/Dockerfile.jvm-aot"))).contains("-t " + image + " ");
        assertThat(Files.readString(Path.of("docker/compose.yaml"))).contains("image: " + image)
                .contains("dockerfile: docker/Dockerfile.jvm-aot");
        Map<String, Object> prod = documents.stream().filter(d -> d.get("__file").toString().contains("overlays/prod")).findFirst().orElseThrow();
        assertThat(list(prod.get("images")).get(0).get("name")).isEqualTo(image.substring(0, image.indexOf(':')));
    }

    /** KITE_* from the @ConfigMapping's properties, plus the Quarkus settings the manifests may set. */
    private static Set<String> variablesTheServiceReads() {
        Set<String> names = new HashSet<>(QUARKUS_VARIABLES);
        for (Method method : KiteConfig.class.getDeclaredMethods()) {
            if (Modifier.isAbstract(method.getModifiers())) {
                names.add("KITE_" + method.getName().replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase());
            }
        }
        return names;
    }

    private static Map<String, Object> serviceContainer() {
        Map<String, Object> pod = map(map(map(deployment("kite-token-service").get("spec")).get("template")).get("spec"));
        return list(pod.get("containers")).get(0);
    }

    private static Map<String, Object> podLabels(Map<String, Object> deployment) {
        return map(map(map(map(deployment.get("spec")).get("template")).get("metadata")).get("labels"));
    }

    private static Map<String, Object> deployment(String name) {
        return manifest("Deployment", name);
    }

    private static Map<String, Object> manifest(String kind, String name) {
        return documents.stream()
                .filter(d -> kind.equals(d.get("kind")) && d.get("metadata") != null && name.equals(map(d.get("metadata")).get("name")))
                .filter(d -> !d.get("__file").toString().contains("overlays"))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in k8s/: " + Arrays.toString(new String[0])));
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
