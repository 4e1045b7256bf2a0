package dev.vigil.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The detection core and the evaluation tool stay free of frameworks, so they can be lifted out as a library. */
class LayeringTest {
    private static final String[] FRAMEWORKS = {"org.apache.camel..", "io.quarkus..", "io.micrometer..",
        "io.smallrye..", "io.vertx..", "jakarta..", "org.jboss..", "org.eclipse.microprofile..",
        "com.fasterxml.jackson.."};
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.vigil");
    }

    @Test
    void detect_dependsOnNoFrameworkAndNoUpperLayer() {
        noClasses().that().resideInAPackage("dev.vigil.detect..")
                .should().dependOnClassesThat().resideInAnyPackage(FRAMEWORKS)
                .orShould().dependOnClassesThat().resideInAnyPackage("dev.vigil.service..", "dev.vigil.camel..",
                        "dev.vigil.eval..")
                .check(classes);
    }

    @Test
    void eval_dependsOnlyOnDetect() {
        noClasses().that().resideInAPackage("dev.vigil.eval..")
                .should().dependOnClassesThat().resideInAnyPackage(FRAMEWORKS)
                .orShould().dependOnClassesThat().resideInAnyPackage("dev.vigil.service..", "dev.vigil.camel..")
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
