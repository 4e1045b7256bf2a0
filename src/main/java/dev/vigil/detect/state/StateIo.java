package dev.vigil.detect.state;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The pieces every checkpoint part is written with, for the {@link StateCodec}s. A part starts with its header, one
 * string such as {@code knn/1,dimensions=4,k=10,precision=float32,window_size=1000}: the part's tag and format
 * version, then every setting its state depends on. Reading compares it with the reader's own header first, so
 * state never lands in an instance of another shape. Counts are checked against the reader's capacities before
 * they index anything, so a damaged checkpoint fails with {@link CheckpointFormatException}, never with an array
 * index error.
 */
public final class StateIo {
    private StateIo() {
    }

    /** The header of a part: tag, dimensions, then the settings ({@code name=value}, comma-separated). */
    public static String header(String tag, int dimensions, String settings) {
        return tag + ",dimensions=" + dimensions + (settings.isEmpty() ? "" : "," + settings);
    }

    public static void writeHeader(DataOutput out, String header) throws IOException {
        out.writeUTF(header);
    }

    /** Reads a header and refuses one other than {@code expected}, naming the settings that differ. */
    public static String readHeader(DataInput in, String expected) throws IOException {
        String found = in.readUTF();
        requireHeader(found, expected);
        return found;
    }

    /** Refuses a state whose header is not {@code expected}, naming the settings that differ. */
    public static void requireHeader(String found, String expected) throws CheckpointFormatException {
        if (!found.equals(expected)) {
            throw new CheckpointFormatException(mismatch(found, expected));
        }
    }

    private static String mismatch(String found, String expected) {
        String[] have = found.split(",");
        String[] want = expected.split(",");
        if (!have[0].equals(want[0])) {
            return "checkpoint holds " + have[0] + " state, this is " + want[0] + " (" + found + ")";
        }
        List<String> differences = new ArrayList<>();
        for (String item : want) {
            if (!List.of(have).contains(item)) {
                String name = item.substring(0, item.indexOf('=') + 1);
                String theirs = List.of(have).stream().filter(h -> h.startsWith(name)).findFirst().orElse("none");
                differences.add(name.isEmpty() ? item : item + " here, " + theirs + " in the checkpoint");
            }
        }
        for (String item : have) {
            String name = item.substring(0, item.indexOf('=') + 1);
            if (List.of(want).stream().noneMatch(w -> w.startsWith(name))) {
                differences.add(item + " in the checkpoint only");
            }
        }
        return want[0] + " checkpoint does not match this instance: " + String.join("; ", differences);
    }

    /** Reads a count and refuses one outside {@code [min, max]}. */
    public static int readCount(DataInput in, String what, int min, int max) throws IOException {
        int n = in.readInt();
        if (n < min || n > max) {
            throw new CheckpointFormatException(what + " " + n + " is outside [" + min + ", " + max + "]");
        }
        return n;
    }

    /** Writes every value of {@code a}; its reader knows the count. */
    public static void writeDoubles(DataOutput out, double[] a) throws IOException {
        for (double v : a) {
            out.writeDouble(v);
        }
    }

    /** Reads {@code count} doubles; the count must have been checked against the reader's capacity. */
    public static double[] readDoubles(DataInput in, int count) throws IOException {
        double[] a = new double[count];
        for (int i = 0; i < count; i++) {
            a[i] = in.readDouble();
        }
        return a;
    }

    public static void writeFloats(DataOutput out, float[] a) throws IOException {
        for (float v : a) {
            out.writeFloat(v);
        }
    }

    public static float[] readFloats(DataInput in, int count) throws IOException {
        float[] a = new float[count];
        for (int i = 0; i < count; i++) {
            a[i] = in.readFloat();
        }
        return a;
    }

    public static void writeInts(DataOutput out, int[] a) throws IOException {
        for (int v : a) {
            out.writeInt(v);
        }
    }

    public static int[] readInts(DataInput in, int count) throws IOException {
        int[] a = new int[count];
        for (int i = 0; i < count; i++) {
            a[i] = in.readInt();
        }
        return a;
    }
}
