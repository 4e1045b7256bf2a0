package dev.vigil.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;

/**
 * A labelled CSV data set: a header, numeric feature columns, and a last column {@code label} (1 = anomaly,
 * 0 = normal). Plain or gzip-compressed ({@code .gz}).
 */
public final class LabelledData {
    private final String name;
    private final String[] featureNames;
    private final double[][] points;
    private final int[] labels;

    private LabelledData(String name, String[] featureNames, double[][] points, int[] labels) {
        this.name = name;
        this.featureNames = featureNames;
        this.points = points;
        this.labels = labels;
    }

    public static LabelledData read(Path file) throws IOException {
        String fileName = file.getFileName().toString();
        String name = fileName.replaceFirst("\\.gz$", "").replaceFirst("\\.csv$", "");
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = fileName.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String header = reader.readLine();
            if (header == null) {
                throw new IOException(file + ": empty file, expected a header line");
            }
            String[] columns = header.split(",", -1);
            if (columns.length < 2 || !columns[columns.length - 1].trim().equals("label")) {
                throw new IOException(file + ": the last header column must be 'label', was '"
                        + columns[columns.length - 1] + "'");
            }
            int dims = columns.length - 1;
            String[] featureNames = new String[dims];
            for (int i = 0; i < dims; i++) {
                featureNames[i] = columns[i].trim();
            }
            List<double[]> points = new ArrayList<>();
            List<Integer> labels = new ArrayList<>();
            String line;
            int lineNumber = 1;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (cells.length != columns.length) {
                    throw new IOException(file + ":" + lineNumber + ": " + cells.length + " columns, header has "
                            + columns.length);
                }
                double[] x = new double[dims];
                for (int i = 0; i < dims; i++) {
                    x[i] = parse(cells[i], file, lineNumber, featureNames[i]);
                }
                double label = parse(cells[dims], file, lineNumber, "label");
                if (label != 0 && label != 1) {
                    throw new IOException(file + ":" + lineNumber + ": label must be 0 or 1, was " + cells[dims]);
                }
                points.add(x);
                labels.add((int) label);
            }
            return new LabelledData(name, featureNames, points.toArray(new double[0][]),
                    labels.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    private static double parse(String cell, Path file, int line, String column) throws IOException {
        try {
            return Double.parseDouble(cell.trim());
        } catch (NumberFormatException e) {
            throw new IOException(file + ":" + line + ": column '" + column + "' is not a number: '" + cell + "'");
        }
    }

    /**
     * The rows in the order {@code Collections.shuffle(rows, new Random(seed))} gives, so figures compare with
     * runs that shuffle the same way (the reference anchors do).
     */
    public LabelledData shuffled(long seed) {
        List<Integer> order = new ArrayList<>(points.length);
        for (int i = 0; i < points.length; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed));
        double[][] p = new double[points.length][];
        int[] l = new int[points.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = points[order.get(i)];
            l[i] = labels[order.get(i)];
        }
        return new LabelledData(name, featureNames, p, l);
    }

    public String name() {
        return name;
    }

    public String[] featureNames() {
        return featureNames.clone();
    }

    public int rows() {
        return points.length;
    }

    public int dimensions() {
        return featureNames.length;
    }

    public double[] point(int row) {
        return points[row];
    }

    public int label(int row) {
        return labels[row];
    }

    public int[] labels() {
        return labels.clone();
    }
}
