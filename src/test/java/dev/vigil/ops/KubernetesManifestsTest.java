package dev.vigil.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The manifests in {@code k8s/base} agree with {@code application.properties}: the Service carries the API port
 * and never the management port, which only the ServiceMonitor's Service exposes and the network policy opens
 * only to Prometheus.
 */
class KubernetesManifestsTest {
    private static final Path BASE = Path.of("k8s", "base");

    private final int httpPort;
    private final int managementPort;

    KubernetesManifestsTest() throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("application.properties"))) {
            p.load(r);
        }
        httpPort = Integer.parseInt(p.getProperty("quarkus.http.port"));
        managementPort = Integer.parseInt(p.getProperty("quarkus.management.port"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> manifest(String file) throws IOException {
        return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(BASE.resolve(file)));
    }

    @SuppressWarnings("unchecked")
    private static <T> T at(Object node, String... path) {
        Object n = node;
        for (String step : path) {
            n = n instanceof List<?> l ? l.get(Integer.parseInt(step)) : ((Map<String, Object>) n).get(step);
        }
        return (T) n;
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

    @Test
    void kustomization_listsEveryManifest() throws IOException {
        List<String> listed = at(manifest("kustomization.yaml"), "resources");
        try (Stream<Path> files = Files.list(BASE)) {
            List<String> present = files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml")).sorted().toList();
            assertEquals(present, listed.stream().sorted().toList());
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
