package dev.vigil.camel.source.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.vigil.service.point.DataPoint;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The format of an ingest spool file: one JSON line per validated point, {@code {"client", "id", "key",
 * "timestamp", "features": {name: value, ...}}}, features in the entity's schema order. It holds what the point
 * needs to be scored as if it had never left memory: the values are written in Java's shortest round-trip form,
 * so they read back bit for bit.
 */
final class SpooledPoints {
    private static final JsonFactory FACTORY = new JsonFactory();

    /** A point read back, with the client that sent it. */
    record Line(String client, DataPoint point) {
    }

    private SpooledPoints() {
    }

    static byte[] encode(String client, List<DataPoint> points) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + points.size() * 96);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.setRootValueSeparator(null);
            for (DataPoint p : points) {
                g.writeStartObject();
                g.writeStringField("client", client);
                if (p.id() != null) {
                    g.writeStringField("id", p.id());
                }
                g.writeStringField("key", p.key());
                if (p.timestamp() != null) {
                    g.writeStringField("timestamp", p.timestamp());
                }
                g.writeObjectFieldStart("features");
                for (int i = 0; i < p.names().length; i++) {
                    g.writeNumberField(p.names()[i], p.values()[i]);
                }
                g.writeEndObject();
                g.writeEndObject();
                g.flush();
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A line of a spool file that is not what {@link #encode} writes (a damaged or foreign file). */
    static final class BadLine extends Exception {
        BadLine(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Reads the lines of one file; {@code bad} receives each unreadable line with its number and the reason. The
     * names of consecutive points of one schema share one array, as validated points do.
     */
    static List<Line> decode(BufferedReader reader, BadLines bad) throws IOException {
        List<Line> lines = new ArrayList<>();
        String[] previousNames = null;
        String text;
        int number = 0;
        while ((text = reader.readLine()) != null) {
            number++;
            if (text.isBlank()) {
                continue;
            }
            try {
                Line line = parse(text, previousNames);
                previousNames = line.point().names();
                lines.add(line);
            } catch (BadLine | IOException e) {
                bad.line(number, text, e.getMessage());
            }
        }
        return lines;
    }

    interface BadLines {
        void line(int number, String text, String reason);
    }

    private static Line parse(String text, String[] previousNames) throws IOException, BadLine {
        String client = null;
        String id = null;
        String key = null;
        String timestamp = null;
        List<String> names = new ArrayList<>();
        double[] values = new double[8];
        try (JsonParser p = FACTORY.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new BadLine("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "client" -> client = p.getValueAsString();
                    case "id" -> id = p.getValueAsString();
                    case "key" -> key = p.getValueAsString();
                    case "timestamp" -> timestamp = p.getValueAsString();
                    case "features" -> {
                        if (value != JsonToken.START_OBJECT) {
                            throw new BadLine("'features' is not an object");
                        }
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String name = p.currentName();
                            if (!p.nextToken().isNumeric()) {
                                throw new BadLine("feature '" + name + "' is not a number");
                            }
                            if (names.size() == values.length) {
                                values = Arrays.copyOf(values, values.length * 2);
                            }
                            values[names.size()] = p.getDoubleValue();
                            names.add(name);
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        }
        if (key == null || names.isEmpty()) {
            throw new BadLine(key == null ? "no 'key'" : "no features");
        }
        String[] nameArray = names.toArray(String[]::new);
        String[] shared = Arrays.equals(nameArray, previousNames) ? previousNames : nameArray;
        return new Line(client, new DataPoint(id, key, timestamp, shared, Arrays.copyOf(values, names.size())));
    }
}
