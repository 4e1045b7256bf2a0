package dev.vigil.service;

/** Service parts built without CDI, for tests in other packages that drive them directly. */
public final class Standalone {
    private Standalone() {
    }

    public static PartitionOwnership partitionOwnership() {
        return new PartitionOwnership(1000);
    }

    /** A registry without checkpoints. */
    public static EntityRegistry entityRegistry() {
        return new EntityRegistry(1000, Long.MAX_VALUE);
    }
}
