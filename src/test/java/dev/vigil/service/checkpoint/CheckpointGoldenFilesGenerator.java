package dev.vigil.service.checkpoint;

import dev.vigil.detect.Precision;
import dev.vigil.detect.grade.Grading;
import dev.vigil.detect.grade.Severity;
import dev.vigil.detect.grade.Thresholds;
import dev.vigil.detect.pipeline.ModelType;
import dev.vigil.detect.pipeline.PipelineSpec;
import dev.vigil.service.config.DetectionSettings;
import dev.vigil.service.entity.DetectionService;
import dev.vigil.service.entity.EntityRegistry;
import dev.vigil.service.monitor.VigilMetrics;
import dev.vigil.service.point.DataPoint;
import dev.vigil.service.point.PointBatch;
import dev.vigil.service.point.Result;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Writes the golden checkpoint files of {@link CheckpointGoldenFilesTest} with the code it is compiled against:
 * the folder {@code v<format version>} under the given directory, each fixture's file and its manifest. It refuses
 * a folder that exists: fixtures are never regenerated, a new format version adds a folder. Run it once, at the
 * commit that introduces a format version:
 *
 * <pre>
 * VIGIL_GOLDEN_OUT=$PWD/src/test/resources/checkpoint VIGIL_GOLDEN_COMMIT=$(git rev-parse HEAD) \
 *     mvn -B -q -o test -Dtest=CheckpointGoldenFilesGenerator
 * </pre>
 *
 * The folders v1 and v2 were written by this class as it was at the commits their manifests name (it then used only
 * what the service layer had at format version 1); since version 3 it also sets the grading the service gained
 * then (likelihood thresholds, warm-up, events), so to write an older folder again, take it from that commit.
 */
public class CheckpointGoldenFilesGenerator {
    static final String[] SCHEMA = {"cpu", "mem", "io"};
    /** Points learned before the checkpoint: windows fill partly, trees are built, PCA has fitted. */
    static final int LEARNED = 500;
    static final int NEXT = 20;
    static final int BATCH = 25;
    static final String STREAM = "java.util.Random(seed); for i = 0, 1, ...: spike = (nextInt(50) == 0) | (i % 101 == 100)"
            + " (nextInt always drawn); s = spike ? 8 : 1; cpu = 50 + 0.02 * i + s * nextGaussian(); mem = 70 + s *"
            + " nextGaussian(); io = 5 + s * nextGaussian() (drawn in that order; doubles, Java evaluation order)";
    static final String BATCHES = "points 0 to " + (LEARNED - 1) + " learned in batches of " + BATCH + " (ids p<i>),"
            + " then checkpointed at shutdown (EntityRegistry.checkpointAll); points " + LEARNED + " to "
            + (LEARNED + NEXT - 1) + " scored as one batch";

    /** Runs only when asked to, through Surefire (the classpath is Maven's). */
    @Test
    @EnabledIfEnvironmentVariable(named = "VIGIL_GOLDEN_OUT", matches = ".+")
    void generate() throws IOException {
        main(new String[] {System.getenv("VIGIL_GOLDEN_OUT"), System.getenv("VIGIL_GOLDEN_COMMIT")});
    }

    /** A fixture: its name, entity key, stream seed and the service configuration (every key, defaults too). */
    record Fixture(String name, String key, long seed, Map<String, String> config) {
    }

    /** Every model with its recommended transforms, then pipelines that use every transform. */
    static List<Fixture> fixtures() {
        List<Fixture> f = new ArrayList<>();
        f.add(fixture("isolation_forest", "golden/isolation_forest", 11, "isolation_forest", ""));
        f.add(fixture("knn", "golden/knn", 12, "knn", "scaler"));
        f.add(fixture("adaptive_svm", "golden/adaptive_svm", 13, "adaptive_svm", "scaler"));
        // A key with characters the store must hash and the file must keep as modified UTF-8.
        f.add(fixture("zscore", "plant 7/line:3 \u00fcber-\u6e29\u5ea6", 14, "zscore", ""));
        f.add(fixture("random_cut_forest", "golden/random_cut_forest", 15, "random_cut_forest", ""));

        Fixture pca = fixture("scaler_pca_isolation_forest", "golden/scaler_pca_isolation_forest", 16,
                "isolation_forest", "scaler,pca");
        pca.config().put("vigil.model.params.num_trees", "50");
        pca.config().put("vigil.model.params.window_size", "400"); // the window wraps
        pca.config().put("vigil.model.params.seed", "7");
        pca.config().put("vigil.transform.pca.n_components", "2");
        pca.config().put("vigil.transform.pca.batch_size", "32");
        f.add(pca);

        Fixture delta = fixture("delta_shingle_scaler_knn", "golden/delta_shingle_scaler_knn", 17, "knn",
                "delta,shingle,scaler");
        delta.config().put("vigil.model.params.k", "5");
        delta.config().put("vigil.model.params.window_size", "300"); // the window wraps
        delta.config().put("vigil.transform.delta.counter", "false");
        delta.config().put("vigil.transform.shingle.size", "4");
        delta.config().put("vigil.memory.precision", "float64");
        f.add(delta);

        // Quantile grading: severities come from the score ranks, which the checkpoint carries since version 2.
        Fixture quantile = fixture("shingle_random_cut_forest_quantile", "golden/shingle_random_cut_forest_quantile",
                18, "random_cut_forest", "shingle");
        quantile.config().put("vigil.model.params.num_trees", "30");
        quantile.config().put("vigil.model.params.sample_size", "128");
        quantile.config().put("vigil.transform.shingle.size", "2");
        quantile.config().put("vigil.thresholds.mode", "quantile");
        quantile.config().put("vigil.thresholds.rarity.window", "200"); // ranks rotate generations
        f.add(quantile);

        // vigil.preset=metrics as it stood at format version 3, every key it sets written out: likelihood grading
        // (likelihood and value range in the grading block), warm-up, and anomalies within 100 points as one event.
        Fixture metrics = fixture("metrics_preset", "golden/metrics_preset", 19, "isolation_forest", "shingle,scaler");
        metrics.config().put("vigil.transform.shingle.size", "2");
        metrics.config().put("vigil.thresholds.mode", "likelihood");
        metrics.config().put("vigil.warmup.points", "150");
        metrics.config().put("vigil.events.gap", "100");
        f.add(metrics);
        return f;
    }

    private static Fixture fixture(String name, String key, long seed, String model, String preprocessing) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("vigil.model.type", model);
        c.put("vigil.preprocessing", preprocessing);
        c.put("vigil.memory.precision", "float32");
        c.put("vigil.fallback.model", "zscore");
        c.put("vigil.thresholds.mode", "fixed");
        c.put("vigil.thresholds.medium", "0.6");
        c.put("vigil.thresholds.high", "0.8");
        c.put("vigil.thresholds.critical", "0.9");
        c.put("vigil.thresholds.anomaly", "0.7");
        c.put("vigil.thresholds.rarity.medium", "0.99");
        c.put("vigil.thresholds.rarity.high", "0.999");
        c.put("vigil.thresholds.rarity.critical", "0.9999");
        c.put("vigil.thresholds.rarity.anomaly", "0.995");
        c.put("vigil.thresholds.rarity.window", "20000");
        c.put("vigil.thresholds.likelihood.medium", "0.999");
        c.put("vigil.thresholds.likelihood.high", "0.9999");
        c.put("vigil.thresholds.likelihood.critical", "0.99999");
        c.put("vigil.thresholds.likelihood.anomaly", "0.99999");
        c.put("vigil.warmup.points", Integer.toString(Arrays.stream(ModelType.values())
                .filter(t -> t.configName().equals(model)).findFirst().orElseThrow().warmup()));
        c.put("vigil.events.gap", "0");
        c.put("vigil.events.repeats", "normal");
        c.put("vigil.explain.min-severity", "medium");
        return new Fixture(name, key, seed, c);
    }

    /** The first {@code count} points of the stream of {@code seed}, as {@link #STREAM} says. Never change it. */
    static double[][] stream(long seed, int count) {
        Random r = new Random(seed);
        double[][] points = new double[count][];
        for (int i = 0; i < count; i++) {
            boolean spike = r.nextInt(50) == 0 | i % 101 == 100;
            double s = spike ? 8 : 1;
            double cpu = 50 + 0.02 * i + s * r.nextGaussian();
            double mem = 70 + s * r.nextGaussian();
            double io = 5 + s * r.nextGaussian();
            points[i] = new double[] {cpu, mem, io};
        }
        return points;
    }

    static PointBatch batch(String key, double[][] points, int from, int to) {
        List<DataPoint> list = new ArrayList<>();
        for (int i = from; i < to; i++) {
            list.add(new DataPoint("p" + i, key, null, SCHEMA.clone(), points[i].clone()));
        }
        return PointBatch.ofPoints("test", "test", list);
    }

    /** The detection settings the service would build from {@code config} (the vigil.* keys of a manifest). */
    static DetectionSettings settings(Map<String, String> config) {
        Precision precision = Precision.byName("vigil.memory.precision", config.get("vigil.memory.precision"));
        Map<String, String> modelParams = new LinkedHashMap<>();
        Map<String, Map<String, String>> transformParams = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : config.entrySet()) {
            if (e.getKey().startsWith("vigil.model.params.")) {
                modelParams.put(e.getKey().substring("vigil.model.params.".length()), e.getValue());
            } else if (e.getKey().startsWith("vigil.transform.")) {
                String rest = e.getKey().substring("vigil.transform.".length());
                int dot = rest.indexOf('.');
                transformParams.computeIfAbsent(rest.substring(0, dot), t -> new LinkedHashMap<>())
                        .put(rest.substring(dot + 1), e.getValue());
            }
        }
        String pre = config.get("vigil.preprocessing").trim();
        List<String> preprocessing = pre.isEmpty() ? List.of() : Arrays.asList(pre.split(","));
        PipelineSpec spec = PipelineSpec.parse(PipelineSpec.Keys.under("vigil."), config.get("vigil.model.type"),
                modelParams, preprocessing, transformParams, precision);
        PipelineSpec fallback = PipelineSpec.parse(new PipelineSpec.Keys("vigil.fallback.model",
                "vigil.fallback.model.", "vigil.fallback", "vigil.fallback."), config.get("vigil.fallback.model"),
                Map.of(), List.of(), Map.of(), precision);
        Grading.Mode mode = Grading.Mode.valueOf(config.get("vigil.thresholds.mode").toUpperCase(Locale.ROOT));
        // Manifests of format versions 1 and 2 name no likelihood thresholds, warm-up or event gap: the code that
        // wrote them had none (no warm-up, every anomaly its own event).
        Thresholds likelihoods = config.containsKey("vigil.thresholds.likelihood.medium")
                ? thresholds(config, "vigil.thresholds.likelihood") : Grading.DEFAULT_LIKELIHOODS;
        Grading grading = new Grading(mode, thresholds(config, "vigil.thresholds"),
                thresholds(config, "vigil.thresholds.rarity"), likelihoods);
        Severity explainFrom = Severity.valueOf(config.get("vigil.explain.min-severity").toUpperCase(Locale.ROOT));
        return new DetectionSettings(spec, fallback, grading,
                Integer.parseInt(config.get("vigil.thresholds.rarity.window")), explainFrom,
                Integer.parseInt(config.getOrDefault("vigil.warmup.points", "0")),
                Integer.parseInt(config.getOrDefault("vigil.events.gap", "0")),
                config.getOrDefault("vigil.events.repeats", "normal").equals("normal"));
    }

    private static Thresholds thresholds(Map<String, String> c, String group) {
        return Thresholds.of(group, Double.parseDouble(c.get(group + ".medium")),
                Double.parseDouble(c.get(group + ".high")), Double.parseDouble(c.get(group + ".critical")),
                Double.parseDouble(c.get(group + ".anomaly")));
    }

    /** The service layer over one checkpoint folder (none: {@code dir} null), restored as at start. */
    record Service(EntityRegistry registry, Checkpoints checkpoints, DetectionService detection) {
        static Service start(DetectionSettings settings, Path dir, boolean restoreAtStart) {
            Checkpoints checkpoints = new Checkpoints(settings, new VigilMetrics(new SimpleMeterRegistry()), dir,
                    1_000_000, 3);
            EntityRegistry registry = new EntityRegistry(100, Long.MAX_VALUE, checkpoints);
            if (restoreAtStart) {
                registry.restoreAtStart();
            }
            return new Service(registry, checkpoints, new DetectionService(settings, registry, checkpoints));
        }
    }

    /**
     * A result as a manifest line: score, rarity (17 significant digits), severity, anomaly; then (since format
     * version 3) likelihood (NaN outside likelihood mode), warm-up, event id and repeat.
     */
    static String line(Result r) {
        return number(r.score()) + " " + number(r.rarity()) + " " + r.severity().name().toLowerCase(Locale.ROOT) + " "
                + r.anomaly() + " " + number(r.likelihood()) + " " + r.warmup() + " " + r.event() + " " + r.repeat();
    }

    static String number(double d) {
        return String.format(Locale.ROOT, "%.16e", d);
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[0]);
        String commit = args.length > 1 && args[1] != null ? args[1] : "unknown";
        Path out = root.resolve("v" + CheckpointCodec.VERSION);
        if (Files.exists(out)) {
            throw new IllegalStateException(out + " exists: fixtures are never regenerated");
        }
        Files.createDirectories(out);
        Path work = Files.createTempDirectory("golden");
        for (Fixture f : fixtures()) {
            write(f, work.resolve(f.name()), out, commit);
        }
    }

    private static void write(Fixture f, Path dir, Path out, String commit) throws IOException {
        DetectionSettings settings = settings(f.config());
        double[][] points = stream(f.seed(), LEARNED + NEXT);

        Service a = Service.start(settings, dir, true);
        for (int from = 0; from < LEARNED; from += BATCH) {
            a.detection().score(batch(f.key(), points, from, from + BATCH));
        }
        a.registry().checkpointAll();
        List<Result> uninterrupted = a.detection().score(batch(f.key(), points, LEARNED, LEARNED + NEXT));

        // A second run without checkpoints: the scores depend on the seeds alone.
        Service b = Service.start(settings, null, false);
        b.detection().score(batch(f.key(), points, 0, LEARNED));
        List<Result> again = b.detection().score(batch(f.key(), points, LEARNED, LEARNED + NEXT));
        for (int i = 0; i < NEXT; i++) {
            if (!line(again.get(i)).equals(line(uninterrupted.get(i)))) {
                throw new IllegalStateException(f.name() + ": not deterministic at point " + (LEARNED + i));
            }
        }

        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(CheckpointStore.SUFFIX)).toList();
        }
        if (files.size() != 1) {
            throw new IllegalStateException(f.name() + ": expected one checkpoint file, found " + files);
        }
        Path file = files.get(0);
        byte[] bytes = Files.readAllBytes(file);

        // The writing code restoring its own file, as at start.
        Service c = Service.start(settings, dir, true);
        if (c.registry().size() != 1) {
            throw new IllegalStateException(f.name() + ": the writing code does not restore its own file");
        }
        List<Result> restored = c.detection().score(batch(f.key(), points, LEARNED, LEARNED + NEXT));
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        in.readInt();
        short version = in.readShort();
        in.readInt();
        String fingerprint = in.readUTF();
        String key = in.readUTF();
        String[] schema = new String[in.readInt()];
        for (int i = 0; i < schema.length; i++) {
            schema[i] = in.readUTF();
        }
        long learned = in.readLong();
        long writtenAt = in.readLong();

        boolean restoredDiffers = false;
        for (int i = 0; i < NEXT; i++) {
            if (Double.compare(restored.get(i).score(), uninterrupted.get(i).score()) != 0) {
                throw new IllegalStateException(f.name() + ": the writing code's own restore scores differently");
            }
            restoredDiffers |= !line(restored.get(i)).equals(line(uninterrupted.get(i)));
        }
        // Since version 2 the file carries the score ranks: a restore must give the uninterrupted run exactly.
        if (restoredDiffers && version >= 2) {
            throw new IllegalStateException(f.name() + ": the writing code's own restore grades differently");
        }

        StringBuilder m = new StringBuilder();
        m.append("# Golden checkpoint fixture: never regenerate or edit it (CheckpointGoldenFilesTest).\n");
        m.append("# Written by dev.vigil.service.CheckpointGoldenFilesGenerator with the code of the commit below.\n");
        m.append("file=").append(f.name()).append(".vgck\n");
        m.append("file.size=").append(bytes.length).append('\n');
        m.append("format.version=").append(version).append('\n');
        m.append("written.by.commit=").append(commit).append('\n');
        m.append("written.at=").append(Instant.ofEpochMilli(writtenAt)).append('\n');
        m.append("# Where the writing code's CheckpointStore put the file, under its checkpoint folder.\n");
        m.append("store.path=").append(dir.relativize(file).toString().replace('\\', '/')).append('\n');
        m.append("key=").append(escape(key)).append('\n');
        m.append("schema=").append(String.join(",", schema)).append('\n');
        m.append("learned=").append(learned).append('\n');
        m.append("fingerprint=").append(fingerprint).append('\n');
        m.append("\n# The service configuration (every key the fingerprint or the grading depends on, defaults too).\n");
        for (Map.Entry<String, String> e : f.config().entrySet()) {
            m.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        m.append("\n# The stream of points of the key, in schema order.\n");
        m.append("stream.seed=").append(f.seed()).append('\n');
        m.append("stream=").append(STREAM).append('\n');
        m.append("stream.batches=").append(BATCHES).append('\n');
        m.append("# First and last points, to check a re-implementation of the stream.\n");
        for (int i : new int[] {0, LEARNED + NEXT - 1}) {
            m.append("stream.point.").append(i).append('=').append(number(points[i][0])).append(',')
                    .append(number(points[i][1])).append(',').append(number(points[i][2])).append('\n');
        }
        m.append("\n# The next points as an uninterrupted run of the writing code gives them:"
                + " score rarity severity anomaly likelihood warmup event repeat.\n");
        for (int i = 0; i < NEXT; i++) {
            m.append("next.").append(LEARNED + i).append('=').append(line(uninterrupted.get(i))).append('\n');
        }
        if (restoredDiffers) {
            m.append("\n# After restoring this file the writing code gave the same scores but these gradings: the"
                    + " file\n# holds no score ranks (format version 1), so they start afresh at a restore.\n");
            for (int i = 0; i < NEXT; i++) {
                m.append("restored.").append(LEARNED + i).append('=').append(line(restored.get(i))).append('\n');
            }
        }
        Files.write(out.resolve(f.name() + ".vgck"), bytes);
        Files.writeString(out.resolve(f.name() + ".properties"), m.toString(), StandardCharsets.UTF_8);
        System.out.println(f.name() + ": " + bytes.length + " bytes, version " + version + ", restored differs: "
                + restoredDiffers);
    }

    /** A properties value: the characters a key may hold that the format treats specially. */
    private static String escape(String value) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch == '\\') {
                sb.append("\\\\");
            } else if (i == 0 && ch == ' ') {
                sb.append("\\ ");
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }
}
