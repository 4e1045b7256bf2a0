package dev.vigil.ops;

import static dev.vigil.ops.KubernetesManifestsTest.at;
import static dev.vigil.ops.KubernetesManifestsTest.manifest;
import static dev.vigil.ops.KubernetesManifestsTest.named;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Dockerfiles, read as text (no container engine here to build them): a non-root user, the ports of
 * {@code application.properties}, the working directory the Deployment uses, the folders it mounts, and source
 * paths that exist in the repository.
 */
class ContainerImagesTest {
    private static final Path DOCKER = Path.of("src", "main", "docker");

    /** Each instruction of a Dockerfile, continuation lines joined, comments dropped. */
    private static List<String> instructions(String file) throws IOException {
        List<String> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(DOCKER.resolve(file))) {
            String l = line.strip();
            if (l.startsWith("#") || (l.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (l.endsWith("\\")) {
                current.append(l, 0, l.length() - 1).append(' ');
            } else {
                result.add(current.append(l).toString().strip());
                current.setLength(0);
            }
        }
        return result;
    }

    private static List<String> arguments(List<String> instructions, String keyword) {
        return instructions.stream().filter(i -> i.startsWith(keyword + " "))
                .map(i -> i.substring(keyword.length() + 1).strip()).toList();
    }

    private static Map<String, Object> container() throws IOException {
        return named(at(manifest(KubernetesManifestsTest.BASE.resolve("deployment.yaml")), "spec", "template", "spec",
                "containers"), "vigil");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.native-micro"})
    void dockerfile_runsAsANonRootUser(String file) throws IOException {
        List<String> users = arguments(instructions(file), "USER");
        assertFalse(users.isEmpty(), "USER is set");
        String last = users.get(users.size() - 1).split(":")[0];
        assertTrue(last.matches("[0-9]+"), "a numeric uid, so runAsNonRoot can check it: " + last);
        assertNotEquals(0, Integer.parseInt(last), "not root");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.native-micro"})
    void dockerfile_exposesTheApiAndManagementPorts(String file) throws IOException {
        Properties p = KubernetesManifestsTest.load(Path.of("application.properties"));
        List<String> exposed = arguments(instructions(file), "EXPOSE").stream()
                .flatMap(e -> List.of(e.split("\\s+")).stream()).sorted().toList();
        assertEquals(List.of(p.getProperty("quarkus.http.port"), p.getProperty("quarkus.management.port")).stream()
                .sorted().toList(), exposed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.native-micro"})
    void dockerfile_layoutIsTheOneTheDeploymentMounts(String file) throws IOException {
        List<String> instructions = instructions(file);
        String workdir = (String) at(container(), "workingDir");
        List<String> workdirs = arguments(instructions, "WORKDIR");
        assertEquals(workdir, workdirs.get(workdirs.size() - 1), "the Deployment's workingDir is the image's");
        String text = String.join("\n", instructions);
        List<Map<String, Object>> mounts = at(container(), "volumeMounts");
        for (Map<String, Object> mount : mounts) {
            String path = (String) mount.get("mountPath");
            if (path.startsWith(workdir + "/")) {
                assertTrue(text.contains(path), file + " prepares " + path);
            }
        }
        assertTrue(arguments(instructions, "VOLUME").contains(workdir + "/data"), "data is a volume");
    }

    /** The JVM image runs the collector Vigil is measured with, not the base image's parallel collector. */
    @Test
    void jvmDockerfile_collectorIsG1() throws IOException {
        assertTrue(arguments(instructions("Dockerfile.jvm"), "ENV").contains("GC_CONTAINER_OPTIONS=\"-XX:+UseG1GC\""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.native-micro"})
    void dockerfile_copiesOnlyWhatExistsOrIsBuilt(String file) throws IOException {
        List<String> copies = arguments(instructions(file), "COPY");
        assertFalse(copies.isEmpty());
        for (String copy : copies) {
            List<String> words = new ArrayList<>(List.of(copy.split("\\s+")));
            words.removeIf(w -> w.startsWith("--"));
            for (String source : words.subList(0, words.size() - 1)) {
                if (source.startsWith("target/")) {
                    continue; // written by mvn package (or -Dnative) before the image is built
                }
                String folder = source.contains("*") ? source.substring(0, source.lastIndexOf('/')) : source;
                assertTrue(Files.exists(Path.of(folder)), file + " copies " + source + ", which is not in the repository");
            }
        }
    }
}
