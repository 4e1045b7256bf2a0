package dev.vigil.detect.model;

/** What a {@link RelativeScore} holds: the raw scores observed and their running typical value. */
public record RelativeScoreState(long count, double typical) {
}
