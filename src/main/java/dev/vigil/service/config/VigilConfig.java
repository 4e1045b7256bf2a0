package dev.vigil.service.config;

import dev.vigil.detect.grade.Severity;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every {@code vigil.*} setting, one key per knob, with its default. The top-level
 * {@code application.properties} lists the same keys with comments; routes read the endpoint and size keys
 * through {@code {{vigil.*}}} placeholders.
 */
@ConfigMapping(prefix = "vigil")
public interface VigilConfig {

    /** A ready configuration for a kind of data ({@code metrics}): model, transforms and grading, each overridable. */
    Optional<String> preset();

    /** The detector model and its parameters. */
    Model model();

    /** Transforms in front of the model, in order: {@code scaler}, {@code pca}, {@code shingle}, {@code delta}. None when unset. */
    Optional<List<String>> preprocessing();

    /** Transform parameters by transform name, e.g. {@code vigil.transform.pca.n_components=10}. */
    Map<String, Map<String, String>> transform();

    /** Score thresholds for severities and for {@code isAnomaly}. */
    ThresholdsConfig thresholds();

    /** Per-feature explanations of results. */
    Explain explain();

    /** Input validation (the reference SecurityValidator rules). */
    Validation validation();

    /** Per-client rate limits. */
    Throttle throttle();

    /** Batching of single-point deliveries. */
    Batch batch();

    /** Entity keys (one pipeline each). */
    Keys keys();

    /** Memory budget of the per-entity pipelines. */
    Memory memory();

    /** Checkpoints of the per-entity pipelines. */
    Checkpoint checkpoint();

    /** Operational alerts (the reference MonitoringService thresholds). */
    Alerts alerts();

    /** Drift detection over each key's scores. */
    Drift drift();

    /** The circuit breaker around detection. */
    Breaker breaker();

    /** The model that answers when the breaker is open or the model fails. */
    Fallback fallback();

    /** The watched folder. */
    Inbox inbox();

    /** The HTTP API. */
    Http http();

    /** The Kafka source; off unless {@code vigil.kafka.brokers} is set. */
    Kafka kafka();

    /** The JMS source; off unless {@code vigil.jms.url} is set. */
    Jms jms();

    /** Where results, rejections and dead letters go. */
    Sinks sink();

    /** How the configured brokers (sources and sinks) are watched. */
    Brokers brokers();

    /** API keys on the HTTP API and the security event log. */
    Security security();

    interface Model {
        /** isolation_forest, knn, adaptive_svm, zscore or random_cut_forest; unset: the preset's, else isolation_forest. */
        Optional<String> type();

        /** Model parameters by the reference names, e.g. {@code vigil.model.params.num_trees=100}. */
        Map<String, String> params();
    }

    interface ThresholdsConfig {
        /** Scores at or above this are at least medium severity. */
        @WithDefault("0.6")
        double medium();

        /** Scores at or above this are at least high severity. */
        @WithDefault("0.8")
        double high();

        /** Scores at or above this are critical. */
        @WithDefault("0.9")
        double critical();

        /** Scores at or above this are anomalies ({@code isAnomaly}). */
        @WithDefault("0.7")
        double anomaly();

        /**
         * {@code fixed}: severities from the score; {@code quantile}: from its rarity among the key's recent scores;
         * {@code likelihood}: from the likelihood of its recent scores. Unset: the preset's, else fixed.
         */
        Optional<String> mode();

        /** Rarity thresholds, used in {@code quantile} mode. */
        Rarity rarity();

        interface Rarity {
            /** Rarer than 1 in 100 is at least medium. */
            @WithDefault("0.99")
            double medium();

            /** Rarer than 1 in 1,000 is at least high. */
            @WithDefault("0.999")
            double high();

            /** Rarer than 1 in 10,000 is critical. */
            @WithDefault("0.9999")
            double critical();

            /** Rarer than 1 in 200 is an anomaly. */
            @WithDefault("0.995")
            double anomaly();

            /** Scores per generation of a key's rank histogram: rarity is over the last window to 2 × window. */
            @WithDefault("20000")
            int window();
        }

        /** Likelihood thresholds, used in {@code likelihood} mode. */
        Likelihood likelihood();

        interface Likelihood {
            /** Rarer than 1 in 1,000 under the key's own score distribution is at least medium. */
            @WithDefault("0.999")
            double medium();

            /** Rarer than 1 in 10,000 is at least high. */
            @WithDefault("0.9999")
            double high();

            /** Rarer than 1 in 100,000 is critical. */
            @WithDefault("0.99999")
            double critical();

            /** Rarer than 1 in 100,000 is an anomaly. */
            @WithDefault("0.99999")
            double anomaly();
        }
    }

    /** Warm-up of a new key's model. */
    Warmup warmup();

    interface Warmup {
        /** A new key's first results are warm-up: graded low, kept out of ranks and drift. Unset: the preset's, else the model's. */
        Optional<Integer> points();
    }

    /** Grouping of a key's anomalies into events. */
    Events events();

    interface Events {
        /** Points after an anomaly within which the key's next one joins its event; 0: every anomaly its own. Unset: the preset's, else 0. */
        Optional<Integer> gap();

        /** Where a repeat of an event goes: {@code normal} (the normal sink) or {@code severity} (its severity's sink). */
        @WithDefault("normal")
        String repeats();
    }

    interface Explain {
        /** Results of this severity or above carry {@code attribution} and {@code explanation}; lower ones pay nothing. */
        @WithDefault("medium")
        Severity minSeverity();
    }

    interface Validation {
        /** Most features a point may have. */
        @WithDefault("1000")
        int maxFeatures();

        /** Longest feature name. */
        @WithDefault("100")
        int maxFeatureNameLength();

        /** Longest entity key and id. */
        @WithDefault("100")
        int maxKeyLength();

        /** Longest string value. */
        @WithDefault("10000")
        int maxStringLength();

        /** Values must be strictly inside (-max, max). */
        @WithDefault("1e10")
        double maxAbsValue();

        /** A feature name must match one of these (identifier, IPv4 address, UUID). */
        @WithDefault("^[a-zA-Z][a-zA-Z0-9_]*$,^[0-9]+[.][0-9]+[.][0-9]+[.][0-9]+$,^[0-9a-fA-F-]{36}$")
        List<String> allowedNamePatterns();

        /** Names, keys and string values must not contain these (case-insensitive). */
        @WithDefault("<script.*?>,javascript:,eval[(],__.*__")
        List<String> blockedPatterns();

        /** String values that are not numbers: {@code reject}, or {@code hash} them to a number as the reference. */
        @WithDefault("reject")
        StringPolicy strings();

        /** Most characters of a refused input kept in its rejection; the rest is cut off and marked truncated. */
        @WithDefault("4096")
        int maxOriginalLength();

        enum StringPolicy {
            REJECT, HASH
        }
    }

    interface Throttle {
        /** Points per minute per client, for every source unless overridden below; 0 = unlimited. */
        @WithDefault("1000")
        int maxPerMinute();

        /** Per-source overrides of {@code max-per-minute}: {@code vigil.throttle.source.file=0}. */
        Map<String, Integer> source();
    }

    interface Batch {
        /** Points per batch: file chunks, aggregated deliveries. */
        @WithDefault("1000")
        int size();

        /** Milliseconds an incomplete aggregated batch waits before it goes anyway. */
        @WithDefault("1000")
        long timeout();
    }

    interface Keys {
        /** Most entity keys with a live pipeline; beyond them the less used of the newest and the oldest goes. */
        @WithDefault("10000")
        int max();

        /** Entity key of points that carry none. */
        @WithName("default")
        @WithDefault("default")
        String defaultKey();
    }

    interface Memory {
        /** Memory budget of all pipelines in MiB; unset = a quarter of the maximum heap. */
        Optional<Integer> maxMb();

        /** How windows of points are kept (isolation_forest, knn, adaptive_svm): float32 or float64. */
        @WithDefault("float32")
        String precision();

        /**
         * Share of the maximum heap, still in use after a garbage collection, at which a quarter of the keys is
         * checkpointed and evicted, in eviction order (the reference MemoryManager's cleanup threshold).
         */
        @WithDefault("0.8")
        double cleanupThreshold();
    }

    interface Checkpoint {
        /** Whether pipelines are checkpointed and restored at all. */
        @WithDefault("true")
        boolean enabled();

        /** Folder of the checkpoints, one sub-folder per entity key. */
        @WithDefault("data/checkpoints")
        String dir();

        /** Points an entity learns between two checkpoints. */
        @WithDefault("10000")
        long interval();

        /** Checkpoints kept per entity: the newest first, older ones in case it is damaged. */
        @WithDefault("3")
        int keep();

        /** Seconds after which the checkpoints of a key not seen since are removed (30 days); 0 keeps them for ever. */
        @WithDefault("2592000")
        long retention();

        /** Most MiB the checkpoint folder may hold; the keys not seen for longest are removed first beyond it. */
        @WithDefault("2048")
        long maxMb();
    }

    interface Alerts {
        /** Seconds: mean time to score a batch over the last 100 batches. */
        @WithDefault("0.1")
        double slowProcessing();

        /** Share of points rejected or not scored, over the last {@code window} points. */
        @WithDefault("0.05")
        double errorRate();

        /** Share of anomalies above which the rate is suspiciously high, over the last {@code window} points. */
        @WithDefault("0.15")
        double anomalyRateHigh();

        /** Share of anomalies below which the rate is suspiciously low (a blind model), over the same window. */
        @WithDefault("0")
        double anomalyRateLow();

        /** MiB of resident memory of the process. */
        @WithDefault("1000")
        double memoryMb();

        /** Points per second of scoring time over the last 100 batches; 0 = off. */
        @WithDefault("10")
        double lowThroughput();

        /** Seconds before the same alert is sent again. */
        @WithDefault("300")
        long cooldown();

        /** Points the rate alerts look back over; they wait until that many have been seen. */
        @WithDefault("10000")
        int window();
    }

    interface Drift {
        /** Whether each key's scores are watched for a rise of their mean (a changed normal). */
        @WithDefault("true")
        boolean enabled();

        /** The likelihood of the key's recent scores under its own score history that counts as risen. */
        @WithDefault("0.999")
        double likelihood();

        /** Points in a row the likelihood must stay at or above that for a drift. */
        @WithDefault("30")
        int points();
    }

    interface Breaker {
        /** Batches in the rolling window the breaker judges (the reference's error window). */
        @WithDefault("100")
        int requestVolume();

        /** Percentage of failed batches in the window that opens the breaker. */
        @WithDefault("10")
        int failureRatio();

        /** Milliseconds the breaker stays open before it tries again. */
        @WithDefault("300000")
        long delay();

        /** Successful trial batches needed to close it again. */
        @WithDefault("1")
        int successThreshold();

        /** Milliseconds one batch may take to score before the fallback answers. */
        @WithDefault("5000")
        long timeout();
    }

    interface Fallback {
        /** A model name, with its default parameters; the reference uses a z-score. */
        @WithDefault("zscore")
        String model();
    }

    interface Inbox {
        /** Whether the file inbox consumes. */
        @WithDefault("true")
        boolean enabled();

        /** The watched folder; processed files move to .done, unreadable ones to .error. */
        @WithDefault("data/inbox")
        String dir();

        /** Milliseconds between polls of the folder besides its new-file events, which wake a poll at once. */
        @WithDefault("500")
        long pollDelay();

        /** Files processed in parallel. */
        @WithDefault("2")
        int concurrency();

        /** Milliseconds a file must stay unchanged before the end of it that was read is its end (half-written files). */
        @WithDefault("500")
        long readLockInterval();

        /** Longest line in characters; a longer line is rejected without being held in memory. */
        @WithDefault("1048576")
        int maxLineLength();

        /** Most characters of lines in one batch: a batch ends early once its lines reach this (one line always fits). */
        @WithDefault("4194304")
        int maxBatchChars();

        /** Largest file in MiB; a larger one is moved to .error unread. */
        @WithDefault("1024")
        long maxFileMb();

        /** Reads of a file the service began and never finished (it stopped or crashed) before the file goes to .error. */
        @WithDefault("3")
        int maxAttempts();

        /** Milliseconds a read may wait for the file before /q/health/well reports the inbox as stalled. */
        @WithDefault("60000")
        long stallTimeout();

        /** Milliseconds a graceful stop lets the files being read finish; the rest are read again at the next start. */
        @WithDefault("15000")
        long stopTimeout();
    }

    interface Http {
        /** Whether the HTTP API consumes. */
        @WithDefault("true")
        boolean enabled();

        /** Largest request body in bytes (413 beyond). */
        @WithDefault("1048576")
        long maxBodyBytes();

        /** Most MiB of request bodies held at once over all connections (declared sizes); 503 beyond, before reading. */
        @WithDefault("32")
        long maxBufferedMb();

        /** Milliseconds from a request's headers to the end of its body; a slower body's connection is closed. */
        @WithDefault("10000")
        long bodyTimeout();

        /** Most points in one request (413 beyond). */
        @WithDefault("10000")
        int maxPoints();

        /**
         * How /ingest keeps accepted points until they are scored: {@code spool} (a file per request, forced to disk
         * before the 202) or {@code memory} (a queue and per-key batches, lost in a crash).
         */
        @WithDefault("spool")
        IngestMode ingestMode();

        /** The spool folder of accepted /ingest requests, one file each until every point of it is routed. */
        @WithDefault("data/ingest-spool")
        String ingestSpoolDir();

        /** Most megabytes the spool may hold; further /ingest requests wait, then get 503. */
        @WithDefault("1024")
        long ingestSpoolMaxMb();

        /** Accepted ingest requests waiting to be scored: spooled files, or queued requests in memory mode. */
        @WithDefault("10000")
        int ingestQueue();

        /** Milliseconds an ingest request waits for room before it is refused. */
        @WithDefault("5000")
        long ingestOfferTimeout();

        enum IngestMode {
            SPOOL, MEMORY
        }
    }

    interface Kafka {
        /** Bootstrap servers; the Kafka source runs only when set. */
        Optional<String> brokers();

        /** Topic of incoming points; the record key is the entity key (a payload key only without one). */
        @WithDefault("vigil-points")
        String topic();

        /** Consumer group. */
        @WithDefault("vigil")
        String groupId();

        /** Most records per poll, i.e. per batch. */
        @WithDefault("500")
        int maxPollRecords();

        /**
         * Consumer threads, each with its own Kafka consumer in the group and its own batch in flight; a partition is
         * read by one of them at a time, so each key's points stay in order. More than the topic's partitions sit idle.
         */
        @WithDefault("2")
        int consumers();

        /** Most points in one record (a JSON array); a longer record is rejected whole as too_many_points. */
        @WithDefault("10000")
        int maxPoints();

        /** Milliseconds one poll waits for records. */
        @WithDefault("1000")
        long pollTimeout();

        /** Milliseconds without heartbeats after which the group reassigns this member's partitions. */
        @WithDefault("45000")
        int sessionTimeout();

        /** Milliseconds between heartbeats to the group coordinator. */
        @WithDefault("3000")
        int heartbeatInterval();

        /**
         * How Vigil's Kafka clients (the source and every {@code kafka:} sink) connect: PLAINTEXT, SSL,
         * SASL_PLAINTEXT or SASL_SSL.
         */
        @WithDefault("PLAINTEXT")
        SecurityProtocol securityProtocol();

        /** The login, with a SASL security protocol. */
        Sasl sasl();

        /** Trust and client certificates, with an SSL security protocol. */
        Tls tls();

        enum SecurityProtocol {
            PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL;

            /** Whether clients log in with SASL. */
            public boolean sasl() {
                return this == SASL_PLAINTEXT || this == SASL_SSL;
            }

            /** Whether the connection is encrypted with TLS. */
            public boolean tls() {
                return this == SSL || this == SASL_SSL;
            }
        }

        interface Sasl {
            /** PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512. */
            @WithDefault("SCRAM-SHA-512")
            SaslMechanism mechanism();

            /** The user Vigil logs in as. */
            Optional<String> username();

            /** Its password: from the environment or a file ({@code ${file::/path}}), never in a properties file. */
            Optional<String> password();
        }

        enum SaslMechanism {
            PLAIN("PLAIN"), SCRAM_SHA_256("SCRAM-SHA-256"), SCRAM_SHA_512("SCRAM-SHA-512");

            private final String kafkaName;

            SaslMechanism(String kafkaName) {
                this.kafkaName = kafkaName;
            }

            /** The name Kafka knows it by ({@code sasl.mechanism}). */
            public String kafkaName() {
                return kafkaName;
            }
        }
    }

    /** TLS settings of a broker connection. */
    interface Tls {
        /** Trust store holding the certificate authority of the broker's certificate; the JVM's own when unset. */
        Optional<String> trustStore();

        /** Password of the trust store. */
        Optional<String> trustStorePassword();

        /** PKCS12, JKS or PEM. */
        @WithDefault("PKCS12")
        String trustStoreType();

        /** Key store with Vigil's client certificate and key, for brokers that require one (mutual TLS). */
        Optional<String> keyStore();

        /** Password of the key store (and of the key in it). */
        Optional<String> keyStorePassword();

        /** PKCS12, JKS or PEM. */
        @WithDefault("PKCS12")
        String keyStoreType();

        /** Whether the broker's certificate must name the host Vigil connects to. */
        @WithDefault("true")
        boolean verifyHost();
    }

    interface Jms {
        /** Broker URL (Artemis); the JMS source runs only when set. */
        Optional<String> url();

        /** Queue of incoming points. */
        @WithDefault("vigil.points")
        String queue();

        /** Message property that names the client, for throttling; the entity key when absent. */
        @WithDefault("clientId")
        String clientProperty();

        /** Parallel consumers. */
        @WithDefault("2")
        int concurrentConsumers();

        /** Most points in one message (a JSON array); a longer message is rejected whole as too_many_points. */
        @WithDefault("10000")
        int maxPoints();

        /** The user Vigil logs in as, for the source and every {@code jms:} sink; none when unset. */
        Optional<String> username();

        /** Its password: from the environment or a file ({@code ${file::/path}}), never in a properties file. */
        Optional<String> password();

        /** TLS to the broker. */
        JmsTls tls();

        interface JmsTls extends Tls {
            /** Whether the connection is encrypted with TLS. */
            @WithDefault("false")
            boolean enabled();
        }
    }

    interface Sinks {
        /** Sink of critical results. */
        @WithDefault("file:data/out/critical?fileName=results.jsonl&fileExist=Append")
        String critical();

        /** Sink of high results. */
        @WithDefault("file:data/out/high?fileName=results.jsonl&fileExist=Append")
        String high();

        /** Sink of medium results. */
        @WithDefault("file:data/out/medium?fileName=results.jsonl&fileExist=Append")
        String medium();

        /** Sink of low results; {@code bean:sinks?method=discard} only counts them. */
        @WithDefault("file:data/out/low?fileName=results.jsonl&fileExist=Append")
        String low();

        /** Sink of rejected inputs, with their reasons. */
        @WithDefault("file:data/rejected?fileName=rejected.jsonl&fileExist=Append")
        String rejected();

        /** Where operational alerts go, as JSON. */
        @WithDefault("log:vigil.alerts?level=WARN&plain=true")
        String alerts();

        /** Where a batch goes when a sink keeps failing, or detection and fallback both failed. */
        @WithDefault("file:data/dead-letter?fileName=dead-letter.jsonl&fileExist=Append")
        String deadLetter();

        /** Sinks that take one message per result (Kafka, JMS) rather than one per group, by name. */
        Map<String, Boolean> perRecord();

        /** Redelivery attempts to a failing sink before the dead letter. */
        @WithDefault("5")
        int maxRedeliveries();

        /** Milliseconds before the first redelivery; doubles each time. */
        @WithDefault("500")
        long redeliveryDelay();

        /** MiB at which the rejected and dead-letter files are rotated: {@code x.jsonl} becomes {@code x.1.jsonl}. */
        @WithDefault("100")
        long rotateAtMb();

        /** Rotated rejected and dead-letter files kept; the oldest is deleted beyond them. */
        @WithDefault("5")
        int rotateKeep();
    }

    interface Brokers {
        /** The default of {@link #logInterval()}, also read by the log filter, which starts before this mapping. */
        String DEFAULT_LOG_INTERVAL = "60000";

        /** Milliseconds between two connection checks of each configured broker. */
        @WithDefault("10000")
        long checkInterval();

        /** Milliseconds a connection check may take before the broker counts as unreachable. */
        @WithDefault("5000")
        long checkTimeout();

        /** Milliseconds between two log lines about one broker while it stays down, and per broker client logger. */
        @WithDefault(DEFAULT_LOG_INTERVAL)
        long logInterval();
    }

    interface Security {
        /** Whether every /api/* request needs a valid X-API-Key; false only for local development. */
        @WithDefault("true")
        boolean enabled();

        /** Keys as {@code client:sha256-hex} pairs; the client name identifies the caller (throttling, events). */
        Optional<List<String>> apiKeyHashes();

        /**
         * Keys as {@code client:key} pairs, meant to come from a Secret through {@code VIGIL_SECURITY_API_KEYS};
         * hashed at start, never kept or logged in plain.
         */
        Optional<List<String>> apiKeys();

        /** Security events kept in memory for the status summary (the oldest are dropped). */
        @WithDefault("1000")
        int eventsKept();

        /** Clients that see every client's security events in /api/v1/status; the others see only their own. */
        Optional<List<String>> adminClients();
    }
}
