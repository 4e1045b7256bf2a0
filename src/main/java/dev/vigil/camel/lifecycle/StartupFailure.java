package dev.vigil.camel.lifecycle;

import dev.vigil.detect.InvalidConfigurationException;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.ConfigValue;
import io.quarkus.runtime.QuarkusBindException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.NoSuchEndpointException;
import org.apache.camel.ResolveEndpointFailedException;
import org.eclipse.microprofile.config.Config;

/**
 * What to fix when the service did not start, in one line: the configuration key with its value and where it was
 * set, or the route file with its line and column, then the rule it broke or what is allowed. The causes are read
 * from the failure's chain: Vigil's own checks ({@link InvalidConfigurationException}), the configuration's
 * conversions ({@link ConfigValidationException}), the YAML routes' parser (a message with
 * {@code in file:..., line L, column C}) and endpoints Camel cannot make. Anything else: the innermost message.
 * Values of keys that hold secrets are never shown.
 */
final class StartupFailure {
    /** Keys whose values are not shown. */
    private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(password|secret|api-keys|jaas|token).*");
    /** A conversion problem of SmallRye Config: key, value, reason. */
    private static final Pattern CONVERSION = Pattern.compile(
            "The config property (\\S+) with the config value \"(.*)\" threw an Exception whilst being converted (.*)",
            Pattern.DOTALL);
    private static final Pattern CONFIG_KEY = Pattern.compile("\\b((?:vigil|quarkus|camel)\\.[A-Za-z0-9.\"_-]+)");
    /** A position in a YAML file, as the routes' parser words it. */
    private static final Pattern YAML_MARK = Pattern.compile(" in (?:file:)?(\\S+), line (\\d+), column (\\d+):");
    private static final Pattern SRCFG_CODE = Pattern.compile("SRCFG\\d+: ");

    private final Config config;

    /** {@code config}: where keys are looked up, for their values and where they were set. */
    StartupFailure(Config config) {
        this.config = config;
    }

    /** The line, and whether the failure was one of the kinds it knows (else its stack trace is worth printing). */
    record Report(String line, boolean known) {
    }

    Report describe(Throwable failure) {
        String known = known(failure);
        if (known != null) {
            return new Report("Vigil did not start: " + known, true);
        }
        List<Throwable> chain = chain(failure);
        Throwable innermost = chain.get(chain.size() - 1);
        return new Report("Vigil did not start: " + innermost.getClass().getSimpleName() + ": "
                + innermost.getMessage(), false);
    }

    /** The line for a failure of a kind it knows, or null. */
    private String known(Throwable failure) {
        for (Throwable t : chain(failure)) {
            if (t instanceof InvalidConfigurationException e) {
                return setting(e.key(), null) + ": " + e.getMessage().substring(e.key().length() + 2);
            }
            if (t instanceof ConfigValidationException e) {
                List<String> problems = new ArrayList<>();
                for (int i = 0; i < e.getProblemCount(); i++) {
                    problems.add(problem(e.getProblem(i).getMessage()));
                }
                return String.join("; ", problems);
            }
            String yaml = yamlProblem(t.getMessage());
            if (yaml != null) {
                return yaml;
            }
            if (t instanceof NoSuchEndpointException || t instanceof ResolveEndpointFailedException) {
                return endpoint(t, failure);
            }
            if (t instanceof QuarkusBindException e) {
                return port(e);
            }
        }
        return null;
    }

    /** A SmallRye Config problem: {@code key=value (where): reason}. */
    private String problem(String message) {
        Matcher m = CONVERSION.matcher(message);
        if (m.find()) {
            String reason = SRCFG_CODE.matcher(m.group(3)).replaceAll("").replaceAll(" to enum class \\S+,", ",");
            return setting(m.group(1), m.group(2)) + ": " + reason;
        }
        Matcher key = CONFIG_KEY.matcher(message);
        String text = SRCFG_CODE.matcher(message).replaceAll("");
        return key.find() ? setting(key.group(1), null) + ": " + text : text;
    }

    /** {@code file:line:column: problem in `line text`}, from the YAML parser's message; null if it has no mark. */
    static String yamlProblem(String message) {
        if (message == null) {
            return null;
        }
        Matcher m = YAML_MARK.matcher(message);
        int markStart = -1;
        String file = null;
        String line = null;
        String column = null;
        int markEnd = -1;
        while (m.find()) {
            markStart = m.start();
            markEnd = m.end();
            file = m.group(1);
            line = m.group(2);
            column = m.group(3);
        }
        if (file == null) {
            return null;
        }
        String before = message.substring(0, markStart).strip();
        String problem = before.substring(before.lastIndexOf('\n') + 1).strip();
        String after = message.substring(markEnd).strip();
        String text = after.isEmpty() ? "" : after.lines().findFirst().orElse("").strip();
        return file + ":" + line + ":" + column + ": " + problem + (text.isEmpty() ? "" : " in `" + text + "`");
    }

    /**
     * An endpoint Camel could not make: the {@code vigil.*} key whose value is its URI, else the route file and line
     * that write it, else the route; then why.
     */
    private String endpoint(Throwable t, Throwable failure) {
        String uri = t instanceof NoSuchEndpointException n ? n.getUri() : ((ResolveEndpointFailedException) t).getUri();
        String scheme = uri.contains(":") ? uri.substring(0, uri.indexOf(':')) : uri;
        String why = t instanceof NoSuchEndpointException ? "no Camel component '" + scheme + "' in this build"
                : t.getMessage();
        String path = pathOf(uri);
        for (String key : config.getPropertyNames()) {
            String value = key.startsWith("vigil.") ? config.getConfigValue(key).getValue() : null;
            if (value != null && pathOf(value).equals(path)) {
                return setting(key, null) + ": " + why;
            }
        }
        String line = routeLine(path);
        if (line != null) {
            return line + ": endpoint '" + uri + "': " + why;
        }
        String route = chain(failure).stream().filter(c -> c instanceof FailedToCreateRouteException)
                .map(c -> ((FailedToCreateRouteException) c).getRouteId()).findFirst().orElse(null);
        return "endpoint '" + uri + "'" + (route == null ? "" : " of route " + route) + ": " + why;
    }

    /** {@code scheme:path} of an endpoint URI, without {@code //} and parameters: how a route file may write it. */
    private static String pathOf(String uri) {
        String u = uri.strip().replaceFirst("^([A-Za-z0-9+.-]+):/*", "$1:");
        int query = u.indexOf('?');
        return query < 0 ? u : u.substring(0, query);
    }

    /** {@code routes/x.yaml:12} of the first line of the route files holding {@code path}, or null. */
    private String routeLine(String path) {
        String pattern = config.getOptionalValue("camel.main.routes-include-pattern", String.class).orElse("");
        Matcher glob = Pattern.compile("^file:(.*)/([^/]*)$").matcher(pattern.split(",")[0].strip());
        if (!glob.matches()) {
            return null;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of(glob.group(1)), glob.group(2))) {
            for (Path file : files) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    if (pathOf(lines.get(i).replaceFirst("^[^:]*:\\s*\"?", "")).startsWith(path)) {
                        return glob.group(1) + "/" + file.getFileName() + ":" + (i + 1);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** A port already taken: which key sets it. */
    private String port(QuarkusBindException e) {
        List<String> keys = new ArrayList<>();
        for (String key : List.of("quarkus.http.port", "quarkus.management.port")) {
            String value = config.getConfigValue(key).getValue();
            if (Integer.toString(e.getPort()).equals(value)) {
                keys.add(setting(key, null));
            }
        }
        return (keys.isEmpty() ? "port " + e.getPort() : String.join(", ", keys)) + ": already in use by another"
                + " process (another Vigil still running?)";
    }

    /** {@code key=value (where it was set)}, the value hidden for a secret. */
    private String setting(String key, String valueFromMessage) {
        ConfigValue v = lookup(key);
        String value = v != null && v.getValue() != null ? v.getValue() : valueFromMessage;
        StringBuilder sb = new StringBuilder(key);
        if (value != null) {
            sb.append('=').append(SECRET_KEY.matcher(key).matches() ? "(hidden)" : "'" + value + "'");
        }
        String origin = v == null ? null : origin(v);
        if (origin != null) {
            sb.append(" (").append(origin).append(')');
        }
        return sb.toString();
    }

    private ConfigValue lookup(String key) {
        try {
            return (ConfigValue) config.getConfigValue(key);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Where a value was set: a file and line, an environment variable, a system property; null if not known. */
    static String origin(ConfigValue v) {
        String source = v.getSourceName();
        if (source == null) {
            return null;
        }
        String lower = source.toLowerCase(Locale.ROOT);
        if (lower.contains("envconfigsource")) {
            return "environment variable " + v.getName().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
        }
        if (lower.contains("sysprop")) {
            return "system property -D" + v.getName();
        }
        Matcher file = Pattern.compile("source=(jar:)?file:([^\\]]+)]").matcher(source);
        if (file.find()) {
            return file.group(1) != null ? "packaged default"
                    : file.group(2) + (v.getLineNumber() > 0 ? ":" + v.getLineNumber() : "");
        }
        return null;
    }

    private static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }
}
