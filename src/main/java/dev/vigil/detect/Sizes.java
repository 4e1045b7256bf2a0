package dev.vigil.detect;

/** Rough heap sizes of arrays for {@link Detector#sizeInBytes()} estimates (64-bit JVM, compressed oops). */
public final class Sizes {
    public static final long OBJECT = 16;
    private static final long ARRAY = 16;

    private Sizes() {
    }

    public static long of(double[] a) {
        return a == null ? 0 : ARRAY + 8L * a.length;
    }

    public static long of(float[] a) {
        return a == null ? 0 : ARRAY + 4L * a.length;
    }

    public static long of(long[] a) {
        return a == null ? 0 : ARRAY + 8L * a.length;
    }

    public static long of(int[] a) {
        return a == null ? 0 : ARRAY + 4L * a.length;
    }
}
