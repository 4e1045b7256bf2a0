package dev.vigil.service.entity;

import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.monitor.VigilMetrics;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import org.jboss.logging.Logger;

/**
 * The reference MemoryManager's cleanup, the JVM way: the pipelines' own size estimates keep them within
 * {@code vigil.memory.max-mb}, and this guard is the second line. When the old generation still in use after a
 * garbage collection passes {@code vigil.memory.cleanup-threshold} of its maximum (what the JVM's collection-usage
 * threshold reports, so garbage does not count), a quarter of the keys is checkpointed and evicted, in the registry's
 * eviction order, before an OutOfMemoryError can happen.
 */
@ApplicationScoped
public class HeapGuard {
    private static final Logger LOG = Logger.getLogger(HeapGuard.class);
    static final double SHED_SHARE = 0.25;

    private final EntityRegistry entities;
    private final double threshold;
    private final AtomicLong cleanups = new AtomicLong();
    private final NotificationListener listener = (notification, handback) -> {
        if (MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED.equals(notification.getType())) {
            cleanup();
        }
    };

    @Inject
    public HeapGuard(EntityRegistry entities, VigilConfig config, VigilMetrics metrics) {
        this.entities = entities;
        this.threshold = config.memory().cleanupThreshold();
        metrics.counted("vigil.memory.cleanups", "Times the heap guard evicted keys under memory pressure", cleanups::get);
    }

    void watch(@Observes StartupEvent event) {
        List<MemoryPoolMXBean> watched = tenuredPools();
        watched.forEach(pool -> pool.setCollectionUsageThreshold((long) (pool.getUsage().getMax() * threshold)));
        // A native image has no collection-usage thresholds: the memory budget (vigil.memory.max-mb) then stands alone.
        if (watched.isEmpty() || !(ManagementFactory.getMemoryMXBean() instanceof NotificationEmitter emitter)) {
            LOG.infof("Heap guard off: this runtime reports no heap collection usage; vigil.memory.max-mb still "
                    + "bounds the models");
            return;
        }
        emitter.addNotificationListener(listener, null, null);
        LOG.debugf("Heap guard watches %d pools at %.0f %% of their maximum", (Object) watched.size(), 100 * threshold);
    }

    /**
     * The heap pools that hold what outlives collections: the old generation. Eden is empty after a collection, and
     * a survivor space is meant to be nearly full after one (the parallel and serial collectors give it a maximum,
     * G1 does not): watching those evicted a quarter of the keys again and again with the heap nearly empty. The old
     * generation is the one heap pool with a usage threshold as well, in every HotSpot collector.
     */
    static List<MemoryPoolMXBean> tenuredPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP && pool.isUsageThresholdSupported()
                        && pool.isCollectionUsageThresholdSupported() && pool.getUsage().getMax() > 0)
                .toList();
    }

    /** The JVM's listeners outlive the application (tests start several in one JVM): remove ours. */
    @PreDestroy
    void stop() {
        try {
            if (ManagementFactory.getMemoryMXBean() instanceof NotificationEmitter emitter) {
                emitter.removeNotificationListener(listener);
            }
        } catch (ListenerNotFoundException e) {
            // never registered: the application stopped before it started
        }
    }

    void cleanup() {
        int before = entities.size();
        entities.shed(SHED_SHARE);
        cleanups.incrementAndGet();
        LOG.warnf("Heap above %.0f %% of its maximum after GC: checkpointed and evicted %d of %d keys",
                100 * threshold, before - entities.size(), before);
    }
}
