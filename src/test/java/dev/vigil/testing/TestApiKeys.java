package dev.vigil.testing;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The API keys every test profile configures, one in each form the service accepts: {@link #KEY} in plain
 * ({@code vigil.security.api-keys}, as a Secret would give it) and {@link #HASHED_KEY} as its SHA-256
 * ({@code vigil.security.api-key-hashes}). Each identifies its own client.
 */
public final class TestApiKeys {
    public static final String HEADER = "X-API-Key";
    public static final String KEY = "test-key-4f1c9a7e2b";
    public static final String CLIENT = "tests";
    public static final String HASHED_KEY = "hashed-test-key-8d3e6b05";
    public static final String HASHED_CLIENT = "tests-hashed";
    /** A client of its own for the test that spends its rate limit, so the others sharing a profile keep theirs. */
    public static final String THROTTLED_KEY = "throttled-test-key-51c0e2a9";
    public static final String THROTTLED_CLIENT = "tests-throttled";

    private TestApiKeys() {
    }

    /** Configuration for a test profile: every key. */
    public static Map<String, String> overrides() {
        return Map.of("vigil.security.api-keys", CLIENT + ":" + KEY + "," + THROTTLED_CLIENT + ":" + THROTTLED_KEY,
                "vigil.security.api-key-hashes", HASHED_CLIENT + ":" + sha256Hex(HASHED_KEY));
    }

    /** A RestAssured request that carries {@link #KEY}. */
    public static RequestSpecification api() {
        return RestAssured.given().header(HEADER, KEY);
    }

    /** What {@code printf %s "$KEY" | sha256sum} prints, computed here independently of the service. */
    public static String sha256Hex(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
