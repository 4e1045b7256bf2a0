package dev.vigil.camel.sink;

import dev.vigil.service.config.VigilConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/** Every sink's endpoint URI by the sink's name, as configured ({@code {{...}}} placeholders not yet resolved). */
public final class SinkUris {
    private SinkUris() {
    }

    public static Map<String, String> of(VigilConfig.Sinks sinks) {
        Map<String, String> uris = new LinkedHashMap<>();
        uris.put("critical", sinks.critical());
        uris.put("high", sinks.high());
        uris.put("medium", sinks.medium());
        uris.put("low", sinks.low());
        uris.put("rejected", sinks.rejected());
        uris.put("alerts", sinks.alerts());
        uris.put("dead-letter", sinks.deadLetter());
        return uris;
    }

    /** The component a URI names: {@code kafka} for {@code kafka:topic?brokers=...}. */
    public static String scheme(String uri) {
        int colon = uri.indexOf(':');
        return colon < 0 ? uri : uri.substring(0, colon);
    }
}
