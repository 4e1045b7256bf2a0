package dev.vigil.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The manifests in {@code k8s/} agree with the project: every route file is in the routes ConfigMap, ports and
 * probe paths are those of {@code application.properties}, the data paths land on the writable volume, API keys
 * come from a Secret, image names and labels agree, and every path a kustomization names exists (no kustomize
 * binary is needed for that). {@link MonitoringQueriesTest} checks the metric names against the running app.
 */
class KubernetesManifestsTest {
    static final Path K8S = Path.of("k8s");
    static final Path BASE = K8S.resolve("base");
    static final Path ROUTES = Path.of("routes");
    static final Path DEV = K8S.resolve("overlays").resolve("dev");
    static final Path PROD = K8S.resolve("overlays").resolve("prod");
    static final String NAME_LABEL = "app.kubernetes.io/name";

    private final Properties defaults = load(Path.of("application.properties"));
    private final Properties k8sConfig = load(BASE.resolve("config").resolve("application.properties"));
    private final int httpPort = Integer.parseInt(defaults.getProperty("quarkus.http.port"));
    private final int managementPort = Integer.parseInt(defaults.getProperty("quarkus.management.port"));

    static Properties load(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalStateException(file + ": " + e, e);
        }
        return p;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> manifest(Path file) throws IOException {
        return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
    }

    private static Map<String, Object> manifest(String file) throws IOException {
        return manifest(BASE.resolve(file));
    }

    /** The node at {@code path}: map keys, or list indexes as numbers; null where a step is missing. */
    @SuppressWarnings("unchecked")
    static <T> T at(Object node, String... path) {
        Object n = node;
        for (String step : path) {
            if (n == null) {
                return null;
            }
            n = n instanceof List<?> l ? l.get(Integer.parseInt(step)) : ((Map<String, Object>) n).get(step);
        }
        return (T) n;
    }

    /** The element of a list of maps whose {@code name} is {@code name}. */
    static Map<String, Object> named(List<Map<String, Object>> list, String name) {
        assertNotNull(list, "no list to find '" + name + "' in");
        return list.stream().filter(m -> name.equals(m.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no entry named '" + name + "' in " + list));
    }

    private static List<Integer> ports(Map<String, Object> service) {
        List<Integer> ports = new ArrayList<>();
        List<Map<String, Object>> declared = at(service, "spec", "ports");
        for (Map<String, Object> p : declared) {
            ports.add((Integer) p.get("port"));
            ports.add((Integer) p.get("targetPort"));
        }
        return ports;
    }

    private static Map<String, Object> container() throws IOException {
        return named(at(manifest("deployment.yaml"), "spec", "template", "spec", "containers"), "vigil");
    }

    private static String workingDir() throws IOException {
        return at(container(), "workingDir");
    }

    /** The effective value of a setting in the cluster: the mounted config file over the packaged defaults. */
    private String effective(String key) {
        return k8sConfig.getProperty(key, defaults.getProperty(key));
    }

    /** The volume mounted at the longest mount path that contains {@code absolutePath}. */
    private static Map<String, Object> volumeHolding(String absolutePath) throws IOException {
        List<Map<String, Object>> mounts = at(container(), "volumeMounts");
        Map<String, Object> best = null;
        for (Map<String, Object> m : mounts) {
            String mountPath = (String) m.get("mountPath");
            if (Path.of(absolutePath).normalize().startsWith(Path.of(mountPath))
                    && (best == null || mountPath.length() > ((String) best.get("mountPath")).length())) {
                best = m;
            }
        }
        assertNotNull(best, absolutePath + " is on no mounted volume (the root filesystem is read-only)");
        return best;
    }

    private static Map<String, Object> volume(String name) throws IOException {
        return named(at(manifest("deployment.yaml"), "spec", "template", "spec", "volumes"), name);
    }

    private static List<String> routeFiles() throws IOException {
        try (Stream<Path> files = Files.list(ROUTES)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList();
        }
    }

    @Test
    void kustomization_listsEveryManifest() throws IOException {
        List<String> listed = at(manifest("kustomization.yaml"), "resources");
        try (Stream<Path> files = Files.list(BASE)) {
            List<String> present = files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml")).sorted().toList();
            assertEquals(present, listed.stream().filter(r -> !r.contains("/")).sorted().toList());
        }
    }

    @Test
    void kustomizations_everyReferencedPathExists() throws IOException {
        for (Path dir : List.of(BASE, DEV, PROD, ROUTES)) {
            Path file = Files.exists(dir.resolve("kustomization.yaml")) ? dir.resolve("kustomization.yaml")
                    : dir.resolve("kustomization.yml");
            Map<String, Object> k = manifest(file);
            List<String> paths = new ArrayList<>();
            List<String> resources = at(k, "resources");
            if (resources != null) {
                paths.addAll(resources);
            }
            List<Map<String, Object>> patches = at(k, "patches");
            if (patches != null) {
                patches.forEach(p -> paths.add((String) p.get("path")));
            }
            for (String generators : List.of("configMapGenerator", "secretGenerator")) {
                List<Map<String, Object>> gens = at(k, generators);
                if (gens != null) {
                    for (Map<String, Object> g : gens) {
                        List<String> files = at(g, "files");
                        if (files != null) {
                            paths.addAll(files);
                        }
                    }
                }
            }
            assertFalse(paths.isEmpty(), file + " names nothing");
            for (String p : paths) {
                Path resolved = dir.resolve(p).normalize();
                assertTrue(Files.exists(resolved), file + " names " + p + ", which does not exist");
                if (Files.isDirectory(resolved)) {
                    assertTrue(Files.exists(resolved.resolve("kustomization.yaml"))
                            || Files.exists(resolved.resolve("kustomization.yml")), p + " is no kustomization");
                } else {
                    // Plain files must stay inside the kustomization's folder: kustomize refuses others.
                    assertTrue(resolved.startsWith(dir), file + ": " + p + " is outside " + dir);
                }
            }
        }
    }

    @Test
    void routesConfigMap_holdsEveryRouteFile_andIsMountedWhereCamelReadsRoutes() throws IOException {
        Map<String, Object> generator = named(at(manifest(ROUTES.resolve("kustomization.yml")), "configMapGenerator"),
                "vigil-routes");
        List<String> inConfigMap = at(generator, "files");
        assertEquals(routeFiles(), inConfigMap.stream().sorted().toList(), "every routes/*.yaml is in the ConfigMap");
        assertTrue(routeFiles().size() >= 6, "the route files are found at all");

        List<String> resources = at(manifest("kustomization.yaml"), "resources");
        assertTrue(resources.contains("../../routes"), "the base includes the routes folder's kustomization");

        String pattern = defaults.getProperty("camel.main.routes-include-pattern");
        Matcher m = Pattern.compile("file:(.+)/\\*\\.yaml").matcher(pattern);
        assertTrue(m.matches(), "routes are read from a folder: " + pattern);
        Map<String, Object> mount = volumeHolding(workingDir() + "/" + m.group(1));
        assertEquals(workingDir() + "/" + m.group(1), mount.get("mountPath"));
        assertEquals("vigil-routes", at(volume((String) mount.get("name")), "configMap", "name"));
    }

    @Test
    void propertiesConfigMap_mountedAsConfigApplicationProperties() throws IOException {
        Map<String, Object> generator = named(at(manifest("kustomization.yaml"), "configMapGenerator"), "vigil-config");
        List<String> files = at(generator, "files");
        assertEquals(List.of("config/application.properties"), files);
        Map<String, Object> mount = volumeHolding(workingDir() + "/config/application.properties");
        assertEquals(workingDir() + "/config", mount.get("mountPath"), "Quarkus reads $PWD/config/application.properties");
        assertEquals("vigil-config", at(volume((String) mount.get("name")), "configMap", "name"));
        for (String key : k8sConfig.stringPropertyNames()) {
            assertTrue(defaults.containsKey(key) || key.startsWith("quarkus."), "unknown setting " + key);
        }
        assertNull(k8sConfig.getProperty("vigil.security.api-keys"), "plain keys never go in a ConfigMap");
    }

    @Test
    void deployment_portsAndProbesMatchApplicationProperties() throws IOException {
        Map<String, Object> c = container();
        List<Map<String, Object>> ports = at(c, "ports");
        assertEquals(httpPort, named(ports, "http").get("containerPort"));
        assertEquals(managementPort, named(ports, "management").get("containerPort"));
        String root = "/" + defaults.getProperty("quarkus.http.non-application-root-path", "q") + "/"
                + defaults.getProperty("quarkus.smallrye-health.root-path", "health");
        Map<String, String> expected = Map.of("startupProbe", root + "/live", "livenessProbe", root + "/live",
                "readinessProbe", root + "/ready");
        for (Map.Entry<String, String> probe : expected.entrySet()) {
            Map<String, Object> get = at(c, probe.getKey(), "httpGet");
            assertNotNull(get, probe.getKey());
            assertEquals(probe.getValue(), get.get("path"), probe.getKey());
            Object port = get.get("port");
            Object number = port instanceof String name ? named(ports, name).get("containerPort") : port;
            assertEquals(managementPort, number, probe.getKey() + " probes the management port");
        }
        assertEquals(List.of(httpPort, httpPort), ports(manifest("service.yaml")));
    }

    @Test
    void deployment_nonRootWithReadOnlyRootAndWritableTmp() throws IOException {
        Map<String, Object> pod = at(manifest("deployment.yaml"), "spec", "template", "spec");
        assertEquals(Boolean.TRUE, at(pod, "securityContext", "runAsNonRoot"));
        assertNotEquals(0, (Integer) at(pod, "securityContext", "runAsUser"));
        Map<String, Object> c = container();
        assertEquals(Boolean.TRUE, at(c, "securityContext", "readOnlyRootFilesystem"));
        assertEquals(Boolean.FALSE, at(c, "securityContext", "allowPrivilegeEscalation"));
        Map<String, Object> tmp = volumeHolding("/tmp");
        assertNotNull(at(volume((String) tmp.get("name")), "emptyDir"), "/tmp is an emptyDir");
    }

    @Test
    void deployment_dataPathsOnTheWritableVolume() throws IOException {
        List<String> paths = new ArrayList<>(List.of(effective("vigil.inbox.dir"), effective("vigil.checkpoint.dir")));
        for (String key : defaults.stringPropertyNames()) {
            String uri = effective(key);
            if (key.startsWith("vigil.sink.") && uri.startsWith("file:")) {
                paths.add(uri.substring("file:".length()).split("\\?")[0]);
            }
        }
        assertTrue(paths.size() >= 8, "inbox, checkpoints and the file sinks: " + paths);
        for (String p : paths) {
            String absolute = p.startsWith("/") ? p : workingDir() + "/" + p;
            Map<String, Object> mount = volumeHolding(absolute);
            assertNotEquals(Boolean.TRUE, mount.get("readOnly"), p);
            String claim = at(volume((String) mount.get("name")), "persistentVolumeClaim", "claimName");
            assertEquals(at(manifest("pvc.yaml"), "metadata", "name"), claim, p + " is on the PVC");
        }
    }

    /**
     * The ingest spool is per pod: a writable emptyDir, not the shared PVC (another replica would score this pod's
     * files), and larger than the spool's own bound (a full emptyDir evicts the pod and loses it).
     */
    @Test
    void deployment_ingestSpoolOnAPerPodVolumeLargerThanItsBound() throws IOException {
        String dir = effective("vigil.http.ingest-spool-dir");
        String absolute = dir.startsWith("/") ? dir : workingDir() + "/" + dir;
        Map<String, Object> mount = volumeHolding(absolute);
        assertNotEquals(Boolean.TRUE, mount.get("readOnly"), dir);
        Map<String, Object> volume = volume((String) mount.get("name"));
        assertNull(volume.get("persistentVolumeClaim"), dir + " is not on the volume the replicas share");
        Map<String, Object> emptyDir = at(volume, "emptyDir");
        assertNotNull(emptyDir, dir + " is on a per-pod emptyDir");
        long limit = mebibytes((String) emptyDir.get("sizeLimit"));
        long bound = Long.parseLong(effective("vigil.http.ingest-spool-max-mb"));
        assertTrue(bound < limit, "the spool's bound (" + bound + " MiB) is below the emptyDir's " + limit + " MiB");
    }

    @Test
    void deployment_apiKeysFromASecret_exampleOnlyInDev() throws IOException {
        Map<String, Object> env = named(at(container(), "env"), "VIGIL_SECURITY_API_KEYS");
        String secret = at(env, "valueFrom", "secretKeyRef", "name");
        String key = at(env, "valueFrom", "secretKeyRef", "key");
        Map<String, Object> example = named(at(manifest(DEV.resolve("kustomization.yaml")), "secretGenerator"), secret);
        List<String> literals = at(example, "literals");
        assertEquals(1, literals.size());
        assertTrue(literals.get(0).startsWith(key + "="), "the example Secret has the key the Deployment reads");
        assertTrue(literals.get(0).contains("replace-me"), "the example holds a placeholder, not a real key");
        assertNull(at(manifest(PROD.resolve("kustomization.yaml")), "secretGenerator"), "prod keys are never in Git");
        assertNull(at(manifest("kustomization.yaml"), "secretGenerator"));
    }

    @Test
    void deployment_resourcesRequestedAndLimited() throws IOException {
        for (Map<String, Object> c : List.of(container(),
                named(at(manifest(DEV.resolve("deployment-patch.yaml")), "spec", "template", "spec", "containers"),
                        "vigil"))) {
            long request = mebibytes(at(c, "resources", "requests", "memory"));
            long limit = mebibytes(at(c, "resources", "limits", "memory"));
            assertTrue(request > 0 && request <= limit, request + " MiB requested, " + limit + " limit");
        }
        long limit = mebibytes(at(container(), "resources", "limits", "memory"));
        long alert = Long.parseLong(effective("vigil.alerts.memory-mb"));
        assertTrue(alert < limit, "the memory alert (" + alert + " MiB) fires before the limit (" + limit + " MiB)");
    }

    private static long mebibytes(String quantity) {
        assertNotNull(quantity);
        if (quantity.endsWith("Gi")) {
            return Long.parseLong(quantity.substring(0, quantity.length() - 2)) * 1024;
        }
        assertTrue(quantity.endsWith("Mi"), "memory in Mi or Gi: " + quantity);
        return Long.parseLong(quantity.substring(0, quantity.length() - 2));
    }

    @Test
    void imagesAndLabels_agreeAcrossManifests() throws IOException {
        String image = at(container(), "image");
        String version = Pattern.compile("<artifactId>vigil</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Path.of("pom.xml"))).results().findFirst().orElseThrow().group(1);
        for (Path k : List.of(BASE.resolve("kustomization.yaml"), DEV.resolve("kustomization.yaml"),
                PROD.resolve("kustomization.yaml"))) {
            List<Map<String, Object>> images = at(manifest(k), "images");
            assertEquals(1, images.size(), k.toString());
            assertEquals(image, images.get(0).get("name"), k + " retags the Deployment's image");
            assertTrue(String.valueOf(images.get(0).get("newName")).endsWith("vigil"), k.toString());
        }
        assertEquals(version, at(manifest("kustomization.yaml"), "images", "0", "newTag"), "the base image is this build");

        Map<String, Object> deployment = manifest("deployment.yaml");
        Map<String, String> podLabels = at(deployment, "spec", "template", "metadata", "labels");
        assertEquals("vigil", podLabels.get(NAME_LABEL));
        assertEquals(podLabels, at(deployment, "spec", "selector", "matchLabels"));
        List<Path> manifests = new ArrayList<>();
        try (Stream<Path> files = Stream.concat(Files.list(BASE), Files.list(PROD))) {
            files.filter(f -> f.toString().endsWith(".yaml") && !f.getFileName().toString().startsWith("kustomization")
                    && !f.getFileName().toString().endsWith("-patch.yaml")).forEach(manifests::add);
        }
        for (Path f : manifests) {
            Map<String, Object> m = manifest(f);
            assertEquals("vigil", at(m, "metadata", "labels", NAME_LABEL), f + " is labelled");
            Map<String, String> selector = switch ((String) m.get("kind")) {
                case "Service" -> at(m, "spec", "selector");
                case "PodDisruptionBudget", "Deployment" -> at(m, "spec", "selector", "matchLabels");
                case "NetworkPolicy" -> at(m, "spec", "podSelector", "matchLabels");
                default -> null;
            };
            if (selector != null) {
                assertTrue(podLabels.entrySet().containsAll(selector.entrySet()), f + " selects Vigil's pods");
            }
        }
        String deploymentName = at(deployment, "metadata", "name");
        String scaled = at(manifest(PROD.resolve("scaled-object.yaml")), "spec", "scaleTargetRef", "name");
        assertEquals(deploymentName, scaled, "KEDA scales the Deployment");
    }

    @Test
    void scaledObject_onTheConsumerLagOfVigilsGroupAndTopic() throws IOException {
        Map<String, Object> scaled = manifest(PROD.resolve("scaled-object.yaml"));
        Map<String, Object> trigger = at(scaled, "spec", "triggers", "0");
        assertEquals("kafka", trigger.get("type"));
        Map<String, String> meta = at(trigger, "metadata");
        assertEquals(defaults.getProperty("vigil.kafka.topic"), meta.get("topic"));
        assertEquals(defaults.getProperty("vigil.kafka.group-id"), meta.get("consumerGroup"));
        assertNotEquals("true", meta.get("allowIdleConsumers"), "never more replicas than partitions");
        Map<String, Object> patch = named(at(manifest(PROD.resolve("deployment-patch.yaml")), "spec", "template", "spec",
                "containers"), "vigil");
        assertEquals(named(at(patch, "env"), "VIGIL_KAFKA_BROKERS").get("value"), meta.get("bootstrapServers"),
                "KEDA watches the brokers Vigil consumes from");
        int min = at(scaled, "spec", "minReplicaCount");
        int max = at(scaled, "spec", "maxReplicaCount");
        assertEquals((Integer) at(manifest(PROD.resolve("deployment-patch.yaml")), "spec", "replicas"), min);
        assertTrue(min >= 2 && max >= min, min + ".." + max);
        List<String> resources = at(manifest(PROD.resolve("kustomization.yaml")), "resources");
        assertTrue(resources.contains("scaled-object.yaml"));
    }

    @Test
    void pdb_allowsOneVoluntaryDisruptionAtATime() throws IOException {
        Map<String, Object> pdb = manifest("pdb.yaml");
        assertEquals(1, (Integer) at(pdb, "spec", "maxUnavailable"));
        assertNull(at(pdb, "spec", "minAvailable"), "with one replica, minAvailable would block every drain");
    }

    @Test
    void dashboard_isGeneratedAsAConfigMapForTheGrafanaSidecar() throws IOException {
        Map<String, Object> generator = named(at(manifest("kustomization.yaml"), "configMapGenerator"),
                "vigil-dashboard");
        assertEquals("1", at(generator, "options", "labels", "grafana_dashboard"));
        List<String> files = at(generator, "files");
        Object dashboard = new Load(LoadSettings.builder().build())
                .loadFromReader(new StringReader(Files.readString(BASE.resolve(files.get(0)))));
        List<Map<String, Object>> panels = at(dashboard, "panels");
        List<String> titles = panels.stream().map(p -> (String) p.get("title")).toList();
        for (String wanted : List.of("Throughput", "Anomaly rate by severity", "Rejected by reason", "Circuit breaker",
                "Detection latency", "Memory", "Keys")) {
            assertTrue(titles.contains(wanted), "panel " + wanted + " in " + titles);
        }
    }

    @Test
    void service_carriesTheApiPortOnly() throws IOException {
        List<Integer> ports = ports(manifest("service.yaml"));
        assertEquals(List.of(httpPort, httpPort), ports);
        assertFalse(ports.contains(managementPort));
    }

    @Test
    void serviceMonitor_scrapesTheManagementPort() throws IOException {
        Map<String, Object> management = manifest("service-management.yaml");
        assertEquals(List.of(managementPort, managementPort), ports(management));
        Map<String, Object> monitor = manifest("service-monitor.yaml");
        Map<String, String> wanted = at(monitor, "spec", "selector", "matchLabels");
        Map<String, String> labels = at(management, "metadata", "labels");
        assertTrue(labels.entrySet().containsAll(wanted.entrySet()), "the ServiceMonitor selects vigil-management");
        Map<String, String> serviceLabels = at(manifest("service.yaml"), "metadata", "labels");
        assertFalse(serviceLabels.entrySet().containsAll(wanted.entrySet()), "and not the API Service");
        String portName = at(management, "spec", "ports", "0", "name");
        assertEquals(portName, (String) at(monitor, "spec", "endpoints", "0", "port"));
        assertEquals("/q/metrics", (String) at(monitor, "spec", "endpoints", "0", "path"));
    }

    @Test
    void networkPolicy_opensTheManagementPortToPrometheusOnly() throws IOException {
        List<Map<String, Object>> rules = at(manifest("network-policy.yaml"), "spec", "ingress");
        boolean managementRuleSeen = false;
        for (Map<String, Object> rule : rules) {
            List<Map<String, Object>> ports = at(rule, "ports");
            boolean management = ports.stream().anyMatch(p -> Integer.valueOf(managementPort).equals(p.get("port")));
            if (management) {
                managementRuleSeen = true;
                List<Map<String, Object>> from = at(rule, "from");
                assertTrue(from != null && !from.isEmpty(), "the management port is open to named peers only");
                for (Map<String, Object> peer : from) {
                    assertEquals("prometheus", (String) at(peer, "podSelector", "matchLabels", "app.kubernetes.io/name"));
                }
            }
        }
        assertTrue(managementRuleSeen, "Prometheus is admitted to the management port");
    }
}
