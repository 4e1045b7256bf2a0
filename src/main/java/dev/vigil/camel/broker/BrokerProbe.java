package dev.vigil.camel.broker;

/** One connection check of a broker: returns when the broker answered, throws why it did not. */
interface BrokerProbe extends AutoCloseable {
    void check() throws Exception;

    /** Whether {@code failure}, thrown by {@link #check()}, or one of its causes is the broker refusing Vigil's login. */
    boolean loginRefused(Throwable failure);

    @Override
    void close();
}
