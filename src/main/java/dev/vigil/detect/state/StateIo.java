package dev.vigil.detect.state;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The pieces every checkpoint part is written with. A part starts with its header, one string such as
 * {@code knn/1,dimensions=4,k=10,precision=float32,window_size=1000}: the part's tag and format version, then
 * every setting its state depends on. Reading compares it with the reader's own header first, so state never
 * lands in an instance of another shape. Counts are checked against the reader's capacities before they index
 * anything, so a damaged checkpoint fails with {@link CheckpointFormatException}, never with an array index error.
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
    public static void readHeader(DataInput in, String expected) throws IOException {
        String found = in.readUTF();
        if (!found.equals(expected)) {
            throw new CheckpointFormatException(mismatch(found, expected));
        }
    }

    public static String mismatch(String found, String expected) {
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

    public static void writeDoubles(DataOutput out, double[] a, int from, int count) throws IOException {
        for (int i = from, end = from + count; i < end; i++) {
            out.writeDouble(a[i]);
        }
    }

    public static void readDoubles(DataInput in, double[] a, int from, int count) throws IOException {
        for (int i = from, end = from + count; i < end; i++) {
            a[i] = in.readDouble();
        }
    }

    public static void writeFloats(DataOutput out, float[] a, int from, int count) throws IOException {
        for (int i = from, end = from + count; i < end; i++) {
            out.writeFloat(a[i]);
        }
    }

    public static void readFloats(DataInput in, float[] a, int from, int count) throws IOException {
        for (int i = from, end = from + count; i < end; i++) {
            a[i] = in.readFloat();
        }
    }

    public static void writeInts(DataOutput out, int[] a, int from, int count) throws IOException {
        for (int i = from, end = from + count; i < end; i++) {
            out.writeInt(a[i]);
        }
    }

    public static void readInts(DataInput in, int[] a, int from, int count) throws IOException {
        for (int i = from, end = from + count; i < end; i++) {
            a[i] = in.readInt();
        }
    }
}
