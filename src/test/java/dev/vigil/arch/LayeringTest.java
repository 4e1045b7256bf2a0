package dev.vigil.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.vigil.testing.ParallelSafe;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The architecture as the folders show it, kept true: which package may use which. The detection core and the
 * tools stay free of frameworks (they could be lifted out as a library); the service layer knows nothing of Camel;
 * parsers know nothing of HTTP; and no two packages depend on each other.
 */
@ParallelSafe
class LayeringTest {
    private static final String[] FRAMEWORKS = {"org.apache.camel..", "io.quarkus..", "io.micrometer..",
        "io.smallrye..", "io.vertx..", "jakarta..", "org.jboss..", "org.eclipse.microprofile..",
        "com.fasterxml.jackson.."};

    /**
     * Every package of the service jar and the tools, with the packages of Vigil it may use (besides itself). A
     * name ending in {@code .*} stands for its sub-packages.
     */
    private static final Map<String, List<String>> ALLOWED = new LinkedHashMap<>();

    static {
        // detect: pure Java. The API at the root; models and transforms under it; pipeline assembles them.
        allow("detect.state");
        allow("detect", "detect.state");
        allow("detect.grade", "detect", "detect.state");
        allow("detect.model", "detect", "detect.state");
        allow("detect.model.*", "detect", "detect.model", "detect.state");
        allow("detect.transform", "detect", "detect.state");
        allow("detect.pipeline", "detect", "detect.state", "detect.grade", "detect.model.*", "detect.transform");
        // service: the domain, by concern, bottom up.
        allow("service.storage");
        allow("service.config", "detect", "detect.grade", "detect.pipeline");
        allow("service.point", "detect.grade", "service.config");
        allow("service.monitor", "detect.grade", "service.config", "service.point");
        allow("service.security", "detect", "service.config", "service.monitor");
        allow("service.checkpoint", "detect.state", "detect.grade", "detect.pipeline", "service.config",
                "service.monitor", "service.storage");
        allow("service.entity", "detect", "detect.state", "detect.grade", "detect.pipeline", "service.config",
                "service.monitor", "service.point", "service.checkpoint");
        // camel: the beans the routes call. Parsers read text into points and know no source.
        allow("camel.parse", "service.point");
        allow("camel.sink", "camel.parse", "detect.grade", "service.config", "service.monitor", "service.point",
                "service.security", "service.storage");
        allow("camel.pipeline", "camel.parse", "camel.sink", "detect.grade", "service.config", "service.entity",
                "service.monitor", "service.point", "service.security");
        allow("camel.source.file", "camel.parse", "camel.pipeline", "service.config", "service.point",
                "service.monitor", "service.storage");
        allow("camel.source.http", "camel.parse", "camel.pipeline", "camel.sink", "service.config", "service.monitor",
                "service.point", "service.security", "service.storage");
        allow("camel.source.broker", "camel.parse", "camel.pipeline", "service.config", "service.entity",
                "service.monitor", "service.point");
        // broker: how Vigil connects to its brokers, and whether it can.
        allow("camel.broker", "camel.sink", "detect", "service.config", "service.monitor");
        allow("camel.lifecycle", "camel.sink", "camel.source.file", "camel.source.http", "detect", "service.config",
                "service.entity");
        // ops: health checks and the status report, over everything below.
        allow("ops", "camel.broker", "camel.lifecycle", "camel.pipeline", "camel.sink", "camel.source.file",
                "camel.source.http", "detect.grade", "detect.pipeline", "service.checkpoint", "service.config",
                "service.entity", "service.monitor", "service.point", "service.security");
        // The command-line tools (src/tools/java) build on the detection core only.
        allow("eval.io");
        allow("eval", "eval.io", "eval.nab", "detect", "detect.grade", "detect.pipeline");
        allow("eval.nab", "eval.io", "detect", "detect.grade", "detect.pipeline");
        allow("demo", "detect");
    }

    private static JavaClasses classes;

    private static void allow(String pkg, String... uses) {
        ALLOWED.put(pkg, List.of(uses));
    }

    /** The service jar's classes and the tools' (compiled with the tests), without any test class. */
    @BeforeAll
    static void importClasses() {
        Pattern tools = Pattern.compile(".*/test-classes/dev/vigil/(eval|demo)/.*");
        Pattern tests = Pattern.compile(".*(Test|IT|Tests)(\\$.*)?\\.class");
        ImportOption mainAndTools = location -> !location.matches(tests)
                && (!location.contains("/test-classes/") || location.matches(tools));
        classes = new ClassFileImporter().withImportOption(mainAndTools).importPackages("dev.vigil");
    }

    private static String layerOf(String packageName) {
        return packageName.startsWith("dev.vigil.") ? packageName.substring("dev.vigil.".length()) : null;
    }

    private static boolean permits(String pattern, String pkg) {
        return pattern.endsWith(".*") ? pkg.startsWith(pattern.substring(0, pattern.length() - 1))
                : pattern.equals(pkg);
    }

    private static List<String> allowedFor(String pkg) {
        return ALLOWED.entrySet().stream().filter(e -> permits(e.getKey(), pkg)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    @Test
    void everyPackage_usesOnlyWhatTheTableAllows() {
        TreeSet<String> unknown = new TreeSet<>();
        List<String> violations = new ArrayList<>();
        for (JavaClass c : classes) {
            String from = layerOf(c.getPackageName());
            List<String> allowed = allowedFor(from);
            if (allowed == null) {
                unknown.add(from);
                continue;
            }
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String to = layerOf(d.getTargetClass().getPackageName());
                if (to != null && !to.equals(from) && allowed.stream().noneMatch(a -> permits(a, to))) {
                    violations.add(from + " -> " + to + ": " + d.getDescription());
                }
            }
        }
        assertTrue(unknown.isEmpty(), "packages missing from the table in LayeringTest: " + unknown);
        assertTrue(violations.isEmpty(), violations.size() + " dependencies the table does not allow:\n"
                + String.join("\n", violations.stream().limit(40).toList()));
    }

    @Test
    void packages_haveNoCycles() {
        slices().matching("dev.vigil.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void detectAndEval_dependOnNoFramework() {
        noClasses().that().resideInAnyPackage("dev.vigil.detect..", "dev.vigil.eval..")
                .should().dependOnClassesThat().resideInAnyPackage(FRAMEWORKS)
                .check(classes);
    }

    @Test
    void demo_isAClientOnly() {
        // A plain HTTP and file client of the running service: JSON through Jackson, nothing of the service's stack.
        noClasses().that().resideInAPackage("dev.vigil.demo..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.camel..", "io.quarkus..",
                        "io.micrometer..", "io.smallrye..", "io.vertx..", "jakarta..", "org.eclipse.microprofile..")
                .check(classes);
    }

    @Test
    void service_knowsNothingOfCamelOrHttp() {
        noClasses().that().resideInAPackage("dev.vigil.service..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.camel..", "io.vertx..")
                .check(classes);
    }

    @Test
    void parsers_knowNothingOfHttp() {
        noClasses().that().resideInAPackage("dev.vigil.camel.parse..")
                .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "io.quarkus.vertx..",
                        "org.apache.camel.component.platform.http..")
                .check(classes);
    }

    /**
     * Models, transforms and graders hold no checkpoint code: their State is made and restored by a mapper and
     * written by a codec ({@code XxxStateCodec}), the only classes there that see the checkpoint's bytes.
     */
    @Test
    void modelsTransformsAndGraders_holdNoSerialisationCode() {
        noClasses().that().resideInAnyPackage("dev.vigil.detect.model..", "dev.vigil.detect.transform..",
                "dev.vigil.detect.grade..")
                .and().haveSimpleNameNotEndingWith("StateCodec")
                .should().dependOnClassesThat().haveFullyQualifiedName("java.io.DataInput")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.DataOutput")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.DataInputStream")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.DataOutputStream")
                .check(classes);
    }

    @Test
    void nothing_usesJavaSerialization() {
        noClasses().should().dependOnClassesThat().haveFullyQualifiedName("java.io.ObjectOutputStream")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.ObjectInputStream")
                .check(classes);
        // Enums and exceptions are Serializable through the JDK; nothing of ours may opt in itself.
        noClasses().that().areNotEnums().and().areNotAssignableTo(Throwable.class)
                .and().areNotAssignableTo(Enum.class)
                .should().implement(java.io.Serializable.class)
                .check(classes);
    }
}
