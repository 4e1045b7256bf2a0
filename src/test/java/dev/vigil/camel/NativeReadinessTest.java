package dev.vigil.camel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Named;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * What a native image needs from the routes, checked here since no native build runs on this machine: everything
 * the YAML reaches by name at run time. A bean a route calls ({@code ref} + {@code method}, {@code process},
 * {@code aggregationStrategy}, {@code bean:} URIs) must be a {@code @Named} class of ours registered for reflection,
 * with a public method of that name; a class the YAML names as text (an exception type, a Kafka assignor) must be
 * registered in {@code NativeRegistrations}; and no Simple expression may call a method by name on a message body
 * or header, whose class nobody registers.
 */
class NativeReadinessTest {
    private static final Pattern FQN = Pattern.compile("^(?:java|jakarta|org|com|io|dev)\\.[\\w.]*\\.[A-Z]\\w*$");
    private static final Pattern BEAN_URI = Pattern.compile("^bean:(\\w+)(?:\\?method=(\\w+))?");
    private static final Pattern METHOD_CALL_IN_SIMPLE = Pattern.compile("\\$\\{(?:body|header|headers|"
            + "exchangeProperty|variable)[^}]*\\(|\\$\\{bean:");
    /** Route keys whose value is a bean name. */
    private static final Set<String> BEAN_NAME_KEYS = Set.of("ref", "aggregationStrategy");

    private static final Map<String, Set<String>> calledMethods = new TreeMap<>();
    private static final Set<String> classNames = new TreeSet<>();
    private static final List<String> simpleExpressions = new ArrayList<>();
    private static JavaClasses classes;

    @BeforeAll
    static void readRoutes() throws IOException {
        Load yaml = new Load(LoadSettings.builder().build());
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object document : yaml.loadAllFromString(Files.readString(f))) {
                    walk(document, null);
                }
            }
        }
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.vigil");
    }

    private static void walk(Object node, String key) {
        if (node instanceof Map<?, ?> map) {
            Object ref = map.get("ref");
            if (ref instanceof String bean) {
                Object method = map.get("method");
                called(bean, method instanceof String m ? m : null);
            }
            map.forEach((k, v) -> {
                if (BEAN_NAME_KEYS.contains(k) && v instanceof String bean && !k.equals("ref")) {
                    called(bean, null);
                }
                walk(v, String.valueOf(k));
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> walk(item, key));
        } else if (node instanceof String text) {
            Matcher bean = BEAN_URI.matcher(text);
            if (bean.find()) {
                called(bean.group(1), bean.group(2));
            }
            if (FQN.matcher(text).matches()) {
                classNames.add(text);
            }
            if (text.contains("${")) {
                simpleExpressions.add(text);
            }
        }
    }

    private static void called(String bean, String method) {
        Set<String> methods = calledMethods.computeIfAbsent(bean, b -> new TreeSet<>());
        if (method != null) {
            methods.add(method);
        }
    }

    private static JavaClass namedBean(String name) {
        return classes.stream().filter(c -> c.isAnnotatedWith(Named.class)
                && name.equals(c.getAnnotationOfType(Named.class).value())).findFirst().orElse(null);
    }

    @Test
    void routes_callBeansOnlyThroughRegisteredNamedClasses() {
        assertTrue(calledMethods.size() >= 8, "the routes' beans were not found: " + calledMethods.keySet());
        List<String> problems = new ArrayList<>();
        calledMethods.forEach((bean, methods) -> {
            JavaClass c = namedBean(bean);
            if (c == null) {
                problems.add(bean + ": no @Named(\"" + bean + "\") class");
                return;
            }
            if (!c.isAnnotatedWith(RegisterForReflection.class)) {
                problems.add(bean + ": " + c.getSimpleName() + " is not @RegisterForReflection");
            }
            for (String m : methods) {
                boolean found = c.getAllMethods().stream().anyMatch(jm -> jm.getName().equals(m)
                        && jm.getModifiers().contains(JavaModifier.PUBLIC));
                if (!found) {
                    problems.add(bean + ": " + c.getSimpleName() + " has no public method " + m);
                }
            }
        });
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void classesNamedInRoutes_areRegisteredForReflection() throws ClassNotFoundException {
        Class<?> registrations = Class.forName("dev.vigil.camel.lifecycle.NativeRegistrations");
        Set<String> registered = new TreeSet<>();
        Arrays.stream(registrations.getAnnotation(RegisterForReflection.class).targets())
                .forEach(c -> registered.add(c.getName()));
        Arrays.stream(registrations.getAnnotation(RegisterForReflection.class).classNames()).forEach(registered::add);
        assertFalse(classNames.isEmpty(), "no class name found in the routes: the walk is broken");
        Set<String> missing = new TreeSet<>(classNames);
        missing.removeAll(registered);
        assertTrue(missing.isEmpty(), "named in routes/*.yaml but not in NativeRegistrations: " + missing);
    }

    @Test
    void simpleExpressions_callNoMethodByName() {
        assertFalse(simpleExpressions.isEmpty(), "no Simple expression found in the routes: the walk is broken");
        List<String> calls = simpleExpressions.stream().filter(e -> METHOD_CALL_IN_SIMPLE.matcher(e).find()).toList();
        assertTrue(calls.isEmpty(), "Simple expressions that call methods by name (use a bean method instead): "
                + calls);
    }
}
