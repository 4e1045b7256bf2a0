package dev.vigil.service.security;

import dev.vigil.detect.InvalidConfigurationException;
import dev.vigil.service.config.VigilConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * The configured API keys, kept only as SHA-256 hashes, each with the name of the client it identifies.
 * Keys come as {@code client:sha256-hex} ({@code vigil.security.api-key-hashes}) or as {@code client:key}
 * ({@code vigil.security.api-keys}, from a Secret through the environment), which are hashed here and dropped.
 *
 * <p>A presented key is hashed and compared with every configured hash by {@link MessageDigest#isEqual}, which
 * takes the same time wherever the bytes differ, and the loop never stops early: how long a look-up takes says
 * nothing about which key, or how much of one, was right. Hashing first also makes every comparison the same
 * length, whatever the caller sent.
 */
@ApplicationScoped
public class ApiKeyRing {
    private static final Logger LOG = Logger.getLogger(ApiKeyRing.class);
    static final String HASHES_KEY = "vigil.security.api-key-hashes";
    static final String PLAIN_KEY = "vigil.security.api-keys";

    private record Entry(String client, byte[] hash) {
    }

    private final boolean enabled;
    private final List<Entry> entries;

    @Inject
    public ApiKeyRing(VigilConfig config) {
        this(config.security().enabled(), config.security().apiKeyHashes().orElse(List.of()),
                config.security().apiKeys().orElse(List.of()));
    }

    /** {@code hashes} as {@code client:sha256-hex}, {@code plainKeys} as {@code client:key}. */
    ApiKeyRing(boolean enabled, List<String> hashes, List<String> plainKeys) {
        this.enabled = enabled;
        List<Entry> all = new ArrayList<>();
        for (int i = 0; i < hashes.size(); i++) {
            all.add(hashEntry(hashes.get(i), i));
        }
        for (int i = 0; i < plainKeys.size(); i++) {
            all.add(plainEntry(plainKeys.get(i), i));
        }
        refuseSharedKeys(all);
        this.entries = List.copyOf(all);
    }

    /** Whether /api/* requests need a key; false only in the documented development mode. */
    public boolean enabled() {
        return enabled;
    }

    /** The client whose key this is, or empty. Constant time in the key; linear in the number of keys. */
    public Optional<String> clientOf(String presentedKey) {
        if (presentedKey == null) {
            return Optional.empty();
        }
        byte[] presented = sha256(presentedKey);
        String match = null;
        for (Entry e : entries) {
            // No early exit: every configured hash is compared, whether or not one has matched.
            boolean equal = MessageDigest.isEqual(presented, e.hash());
            match = equal ? e.client() : match;
        }
        return Optional.ofNullable(match);
    }

    /** How many keys are configured (a client may have more than one, e.g. while a key is rotated). */
    public int size() {
        return entries.size();
    }

    void reportAtStart(@Observes StartupEvent start) {
        if (!enabled) {
            LOG.warn("API keys are OFF (vigil.security.enabled=false): anyone who reaches the port can use /api/*. "
                    + "Development only.");
        } else if (entries.isEmpty()) {
            LOG.warnf("No API key is configured (%s or %s / VIGIL_SECURITY_API_KEYS): every /api/* request will "
                    + "be refused with 401.", HASHES_KEY, PLAIN_KEY);
        } else {
            TreeSet<String> clients = new TreeSet<>();
            entries.forEach(e -> clients.add(e.client()));
            LOG.infof("API keys required on /api/*: %d key(s) for client(s) %s", entries.size(), clients);
        }
    }

    private static Entry hashEntry(String pair, int index) {
        String where = HASHES_KEY + "[" + index + "]";
        int colon = pair.indexOf(':');
        String client = colon < 0 ? "" : pair.substring(0, colon).trim();
        String hex = colon < 0 ? "" : pair.substring(colon + 1).trim();
        checkClient(client, where);
        if (!hex.matches("[0-9a-fA-F]{64}")) {
            throw new InvalidConfigurationException(where, "expected client:sha256-hex (64 hex digits, as printed by "
                    + "printf %s \"$KEY\" | sha256sum)");
        }
        return new Entry(client, HexFormat.of().parseHex(hex));
    }

    /** The key itself appears in no message: an error names the entry by its position only. */
    private static Entry plainEntry(String pair, int index) {
        String where = PLAIN_KEY + "[" + index + "]";
        int colon = pair.indexOf(':');
        String client = colon < 0 ? "" : pair.substring(0, colon).trim();
        String key = colon < 0 ? "" : pair.substring(colon + 1);
        checkClient(client, where);
        if (key.isBlank()) {
            throw new InvalidConfigurationException(where, "expected client:key; the key is empty");
        }
        return new Entry(client, sha256(key));
    }

    private static void checkClient(String client, String where) {
        if (!client.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new InvalidConfigurationException(where, "expected client:key with a client name of letters, digits, "
                    + "'.', '_' or '-' (at most 64)");
        }
    }

    /** One key for two clients would make the caller ambiguous. */
    private static void refuseSharedKeys(List<Entry> all) {
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                if (MessageDigest.isEqual(all.get(i).hash(), all.get(j).hash())
                        && !all.get(i).client().equals(all.get(j).client())) {
                    throw new InvalidConfigurationException(HASHES_KEY, "clients '" + all.get(i).client() + "' and '"
                            + all.get(j).client() + "' have the same key");
                }
            }
        }
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
