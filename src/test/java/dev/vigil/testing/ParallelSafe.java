package dev.vigil.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * A test class that may run at the same time as the others: it shares nothing with them. Either pure computation,
 * or child processes of its own in folders of its own on free ports; no broker in the test JVM, no log capture, no
 * other state of the JVM. Surefire and Failsafe run such classes on a second thread beside the sequential chain of
 * the others (junit-platform.properties), which spend much of their time waiting on brokers, child processes,
 * back-offs and timers. Everything not marked runs one class at a time, in order, as before.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Execution(ExecutionMode.CONCURRENT)
public @interface ParallelSafe {
}
