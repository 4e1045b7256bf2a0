package dev.vigil.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for brokers on this machine (names {@code localhost} and {@code 127.0.0.1}), made with the
 * JDK's keytool under {@code target/tls}: the brokers' key store and the trust store clients need. Made once per
 * test JVM; each keytool run is bounded.
 */
public final class TlsFiles {
    public static final String PASSWORD = "tls-test-secret";
    private static final Path DIR = Path.of("target", "tls").toAbsolutePath();
    private static volatile boolean made;

    private TlsFiles() {
    }

    /** The brokers' key store (PKCS12, {@link #PASSWORD}). */
    public static Path keyStore() {
        make();
        return DIR.resolve("broker.p12");
    }

    /** The trust store holding the brokers' certificate (PKCS12, {@link #PASSWORD}). */
    public static Path trustStore() {
        make();
        return DIR.resolve("trust.p12");
    }

    private static synchronized void make() {
        if (made) {
            return;
        }
        try {
            VigilProcess.deleteTree(DIR);
            Files.createDirectories(DIR);
            keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                    "-keystore", DIR.resolve("broker.p12").toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
            keytool("-exportcert", "-rfc", "-alias", "broker", "-keystore", DIR.resolve("broker.p12").toString(),
                    "-storepass", PASSWORD, "-file", DIR.resolve("broker.pem").toString());
            keytool("-importcert", "-noprompt", "-alias", "broker", "-file", DIR.resolve("broker.pem").toString(),
                    "-storetype", "PKCS12", "-keystore", DIR.resolve("trust.p12").toString(), "-storepass", PASSWORD);
            made = true;
        } catch (IOException e) {
            throw new IllegalStateException("could not make the test certificate in " + DIR, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making the test certificate", e);
        }
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Path log = DIR.resolve("keytool.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("keytool did not finish within 60 s: " + command);
        }
        if (p.exitValue() != 0) {
            throw new IOException("keytool failed (" + p.exitValue() + "): " + Files.readString(log));
        }
    }
}
