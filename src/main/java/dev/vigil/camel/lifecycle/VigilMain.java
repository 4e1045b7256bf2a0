package dev.vigil.camel.lifecycle;

import io.quarkus.runtime.ApplicationLifecycleManager;
import io.quarkus.runtime.Quarkus;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.function.BiConsumer;
import org.eclipse.microprofile.config.Config;

/**
 * The jar's entry point ({@code quarkus.package.main-class}): Quarkus's own start, except that a start that fails
 * ends with one ERROR line saying what to fix ({@link StartupFailure}), as the last line of the console, and
 * Quarkus's non-zero exit code. A plain main, not a {@code @QuarkusMain}: with one of those Camel Quarkus would leave
 * starting Camel to it, and tests, which do not run a main, would run without routes.
 */
public final class VigilMain {
    private VigilMain() {
    }

    public static void main(String... args) {
        BiConsumer<Integer, Throwable> quarkusExit = ApplicationLifecycleManager.getDefaultExitCodeHandler();
        ApplicationLifecycleManager.setDefaultExitCodeHandler((code, failure) -> {
            if (failure != null) {
                StartupFailure.Report report = new StartupFailure(configAsRead()).describe(failure);
                // Printed, not logged: when Camel fails to start, Quarkus has already stopped, logging included.
                // Quarkus's and Camel's own reports are off (application.properties); a failure of a kind the report
                // does not know keeps its stack trace.
                if (!report.known()) {
                    failure.printStackTrace();
                }
                System.err.printf("%1$tF %1$tT,%1$tL ERROR [%2$s] (%3$s) %4$s%n", new Date(), VigilMain.class.getName(),
                        Thread.currentThread().getName(), report.line());
            }
            quarkusExit.accept(code, failure);
        });
        Quarkus.run(args);
    }

    /**
     * The configuration sources Quarkus read, rebuilt to say where a value was set: once a start has failed,
     * Quarkus has released its own. Environment (300) and system properties (400), application.properties of the
     * working folder ({@code WorkingFolderConfig}, discovered as Quarkus discovers it), config/application.properties
     * (260) and the packaged defaults (250: the copy under META-INF/vigil; the jar does not carry the one Quarkus
     * reads, whose values the build recorded). Values are not expanded: a secret read from a file stays unread.
     */
    private static Config configAsRead() {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder().addDefaultSources().addDiscoveredSources();
        try {
            Path configFolder = ConfigurationFiles.CONFIG_FOLDER_FILE;
            if (Files.isRegularFile(configFolder)) {
                builder.withSources(new PropertiesConfigSource(configFolder.toAbsolutePath().toUri().toURL(), 260));
            }
            URL packaged = VigilMain.class.getClassLoader().getResource("META-INF/vigil/application.properties");
            if (packaged != null) {
                builder.withSources(new PropertiesConfigSource(packaged, 250));
            }
        } catch (IOException e) {
            // Then without them: the line names the key and value, without where they were set.
        }
        return builder.build();
    }
}
