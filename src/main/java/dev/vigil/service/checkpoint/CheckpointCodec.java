package dev.vigil.service.checkpoint;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The checkpoint file format of one entity, written with {@link DataOutputStream} (never Java serialization):
 *
 * <pre>
 * int   magic "VGCK"
 * short format version (3; versions 1 and 2 are read too, see below)
 * int   payload length
 * payload:
 *   UTF   configuration fingerprint (model, transforms, parameters, fallback, precision)
 *   UTF   entity key
 *   int   feature count, then each feature name as UTF (the schema, in order)
 *   long  points learned
 *   long  written at (epoch ms)
 *   int   length + bytes: the pipeline's state ({@link dev.vigil.detect.pipeline.PipelineStateFormat})
 *   int   length + bytes: the fallback's state
 *   int   length + bytes: the score ranks' state ({@link dev.vigil.detect.grade.ScoreRanks}; empty if none)
 *   int   length + bytes: the rest of the key's grading ({@link dev.vigil.detect.grade.KeyGrading}: points
 *         graded, open event, and in likelihood mode the likelihood and the value range; empty if none)
 * long  CRC-32C of the payload
 * </pre>
 *
 * Version 2 files end after the score ranks, version 1 files after the fallback: what they lack starts afresh at
 * a restore (the key's grading then counts its learned points as graded, so a warm key stays warm).
 *
 * A file is refused, with the reason, when it is cut short, not a checkpoint, of another format version, fails
 * its checksum, or was written under another configuration.
 */
final class CheckpointCodec {
    static final int MAGIC = 0x5647434B;
    static final short VERSION = 3;
    /** The oldest version this build still reads: version 1 had no score ranks, version 2 no grading. */
    private static final short OLDEST_READ = 1;
    private static final int HEADER = 4 + 2 + 4;
    private static final int TRAILER = 8;

    private CheckpointCodec() {
    }

    /** What a checkpoint holds, before the states are read into pipelines. */
    record Snapshot(String key, String[] schema, long learned, long writtenAt, byte[] pipeline, byte[] fallback,
            byte[] ranks, byte[] grading) {
    }

    /** Why a checkpoint was not used; the label is the {@code reason} tag of the refusal metric. */
    enum Refusal {
        TRUNCATED("truncated"), NOT_A_CHECKPOINT("not_a_checkpoint"), UNKNOWN_VERSION("unknown_version"),
        CHECKSUM("checksum"), CONFIGURATION("configuration"), STATE("state"), UNREADABLE("unreadable");

        final String label;

        Refusal(String label) {
            this.label = label;
        }
    }

    static final class RefusedException extends Exception {
        final Refusal refusal;

        RefusedException(Refusal refusal, String message) {
            super(message);
            this.refusal = refusal;
        }
    }

    static byte[] encode(String fingerprint, Snapshot s) {
        try {
            ByteArrayOutputStream payloadBytes = new ByteArrayOutputStream(
                    256 + s.pipeline().length + s.fallback().length);
            DataOutputStream p = new DataOutputStream(payloadBytes);
            p.writeUTF(fingerprint);
            p.writeUTF(s.key());
            p.writeInt(s.schema().length);
            for (String name : s.schema()) {
                p.writeUTF(name);
            }
            p.writeLong(s.learned());
            p.writeLong(s.writtenAt());
            p.writeInt(s.pipeline().length);
            p.write(s.pipeline());
            p.writeInt(s.fallback().length);
            p.write(s.fallback());
            p.writeInt(s.ranks().length);
            p.write(s.ranks());
            p.writeInt(s.grading().length);
            p.write(s.grading());
            byte[] payload = payloadBytes.toByteArray();
            CRC32C crc = new CRC32C();
            crc.update(payload);
            ByteBuffer file = ByteBuffer.allocate(HEADER + payload.length + TRAILER);
            file.putInt(MAGIC).putShort(VERSION).putInt(payload.length).put(payload).putLong(crc.getValue());
            return file.array();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
    }

    static Snapshot decode(byte[] file, String fingerprint) throws RefusedException {
        if (file.length < HEADER) {
            throw new RefusedException(Refusal.TRUNCATED, "only " + file.length + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(file);
        if (b.getInt() != MAGIC) {
            throw new RefusedException(Refusal.NOT_A_CHECKPOINT, "no checkpoint header");
        }
        short version = b.getShort();
        if (version < OLDEST_READ || version > VERSION) {
            throw new RefusedException(Refusal.UNKNOWN_VERSION, "format version " + version + ", this build reads "
                    + OLDEST_READ + " to " + VERSION);
        }
        int length = b.getInt();
        if (length < 0 || file.length < HEADER + (long) length + TRAILER) {
            throw new RefusedException(Refusal.TRUNCATED, file.length + " bytes, the header announces "
                    + (HEADER + (long) length + TRAILER));
        }
        CRC32C crc = new CRC32C();
        crc.update(file, HEADER, length);
        if (b.getLong(HEADER + length) != crc.getValue()) {
            throw new RefusedException(Refusal.CHECKSUM, "checksum mismatch: the file is damaged");
        }
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(file, HEADER, length));
            String written = in.readUTF();
            if (!written.equals(fingerprint)) {
                throw new RefusedException(Refusal.CONFIGURATION, "written for [" + written
                        + "], the service now runs [" + fingerprint + "]");
            }
            String key = in.readUTF();
            String[] schema = new String[in.readInt()];
            for (int i = 0; i < schema.length; i++) {
                schema[i] = in.readUTF();
            }
            long learned = in.readLong();
            long writtenAt = in.readLong();
            byte[] pipeline = readBlock(in);
            byte[] fallback = readBlock(in);
            byte[] ranks = version >= 2 ? readBlock(in) : new byte[0];
            byte[] grading = version >= 3 ? readBlock(in) : new byte[0];
            return new Snapshot(key, schema, learned, writtenAt, pipeline, fallback, ranks, grading);
        } catch (IOException e) {
            throw new RefusedException(Refusal.TRUNCATED, "payload ends early: " + e.getMessage());
        }
    }

    private static byte[] readBlock(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new EOFException("block of " + n + " bytes, " + in.available() + " left");
        }
        return in.readNBytes(n);
    }
}
