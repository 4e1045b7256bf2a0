/**
 * The detection core: online, unsupervised, learn-as-you-go anomaly detectors over {@code double[]} points.
 *
 * <p>Pure Java on purpose: nothing here imports Camel, Quarkus or Micrometer (a unit test enforces it), so the
 * core can be lifted into its own library. Models are single-writer and never lock or log on the hot path;
 * concurrency and metrics live in the service layer.
 */
package dev.vigil.detect;
