package dev.vigil.demo;

import java.net.URI;
import java.nio.file.Path;

/** The command line of {@code bin/vigil-demo}; see {@link #USAGE}. */
record DemoOptions(int points, long seed, URI url, Path dataDir, boolean help) {
    static final String USAGE = """
            usage: vigil-demo [--points N] [--seed S] [--url URL [--data-dir DIR]]

              --points    readings in all, over 8 sensors (default 20000, at least %d)
              --seed      seed of the synthetic stream (default 42): same seed, same stream
              --url       use a running Vigil at this address (e.g. http://localhost:8080) instead of starting
                          one; set VIGIL_API_KEY to a key it accepts, whose client should be unthrottled
                          (or the demo waits out 429s)
              --data-dir  that service's data folder: inbox/, out/, rejected/ (default data)
              --help      this text
            Without --url the demo starts target/vigil-runner.jar in a new folder under target/demo,
            gives it an API key generated for the run (as a hash: -Dvigil.security.api-key-hashes),
            feeds it about 85 %% of the readings as CSV files in its inbox and 15 %% over HTTP, waits for every
            result and prints what was found against the injected anomalies. Exit code 0, or 1 when results are
            missing or the service rejected readings (the stream is valid, so it disagrees with it).
            """.formatted(SensorStream.MIN_POINTS);

    static DemoOptions parse(String[] args) {
        int points = 20_000;
        long seed = 42;
        URI url = null;
        Path dataDir = Path.of("data");
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--help", "-h" -> {
                    return new DemoOptions(points, seed, url, dataDir, true);
                }
                case "--points" -> points = parseInt(arg, value(args, ++i, arg));
                case "--seed" -> seed = parseLong(arg, value(args, ++i, arg));
                case "--url" -> url = parseUrl(value(args, ++i, arg));
                case "--data-dir" -> dataDir = Path.of(value(args, ++i, arg));
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        if (points < SensorStream.MIN_POINTS) {
            throw new IllegalArgumentException("--points must be at least " + SensorStream.MIN_POINTS);
        }
        return new DemoOptions(points, seed, url, dataDir, false);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int parseInt(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number, was '" + value + "'");
        }
    }

    private static long parseLong(String option, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number, was '" + value + "'");
        }
    }

    private static URI parseUrl(String value) {
        try {
            URI url = URI.create(value);
            if (url.getScheme() == null || url.getHost() == null || !url.getScheme().startsWith("http")) {
                throw new IllegalArgumentException("--url must look like http://host:port, was '" + value + "'");
            }
            return url;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--url must look like http://host:port, was '" + value + "'");
        }
    }
}
