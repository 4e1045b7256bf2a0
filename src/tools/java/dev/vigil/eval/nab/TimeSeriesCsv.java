package dev.vigil.eval.nab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Reads time-ordered CSV files (header, then one row per observation; plain or {@code .gz}; no quoting) into
 * series, one per file or, with a key column, one per key value, rows kept in file order: NAB addresses rows by
 * position, so nothing is sorted, shuffled or de-duplicated. A series from a folder is named by its file's path
 * relative to the folder ({@code realTraffic/speed_6005.csv}, as NAB names it), a single file by its file name, a
 * keyed series by its key. Features are every column but the timestamp, the key and {@code label}, whose first
 * value is a number; {@code label} is left out because it is the ground truth NAB's result files carry, never an
 * input.
 */
final class TimeSeriesCsv {
    static final String LABEL_COLUMN = "label";

    private TimeSeriesCsv() {
    }

    /**
     * @param data            a CSV file, or a folder walked recursively for {@code *.csv} and {@code *.csv.gz}
     * @param timestampColumn the column holding each row's timestamp
     * @param keyColumn       the column naming each row's key, or null for one key per file
     */
    static List<TimeSeries> read(Path data, String timestampColumn, String keyColumn) throws IOException {
        List<TimeSeries> series = new ArrayList<>();
        if (Files.isDirectory(data)) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(data)) {
                files = walk.filter(Files::isRegularFile).filter(TimeSeriesCsv::isCsv)
                        .sorted((a, b) -> nabName(data, a).compareTo(nabName(data, b))).toList();
            }
            if (files.isEmpty()) {
                throw new IOException(data + ": no *.csv file in the folder");
            }
            for (Path file : files) {
                series.addAll(readFile(file, nabName(data, file), timestampColumn, keyColumn));
            }
        } else if (Files.isRegularFile(data)) {
            series.addAll(readFile(data, withoutGz(data.getFileName().toString()), timestampColumn, keyColumn));
        } else {
            throw new IOException("no such file or folder: " + data);
        }
        Set<String> names = new HashSet<>();
        for (TimeSeries s : series) {
            if (!names.add(s.name())) {
                throw new IOException("two series are named '" + s.name() + "' (a key in several files?)");
            }
        }
        return series;
    }

    private static boolean isCsv(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".csv") || name.endsWith(".csv.gz");
    }

    /** The path relative to the folder, '/'-separated whatever the platform, without {@code .gz}. */
    private static String nabName(Path folder, Path file) {
        List<String> parts = new ArrayList<>();
        folder.relativize(file).forEach(p -> parts.add(p.toString()));
        return withoutGz(String.join("/", parts));
    }

    private static String withoutGz(String name) {
        return name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
    }

    private static List<TimeSeries> readFile(Path file, String name, String timestampColumn, String keyColumn)
            throws IOException {
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16)
                        : raw;
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String header = reader.readLine();
            if (header == null) {
                throw new IOException(file + ": empty file, expected a header line");
            }
            String[] columns = header.split(",", -1);
            for (int c = 0; c < columns.length; c++) {
                columns[c] = columns[c].trim();
            }
            int timeAt = column(columns, timestampColumn, file, "--timestamp-column");
            int keyAt = keyColumn == null ? -1 : column(columns, keyColumn, file, "--key-column");
            Map<String, Rows> byKey = new LinkedHashMap<>();
            int[] features = null;
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
                if (features == null) {
                    features = featureColumns(columns, cells, timeAt, keyAt, file);
                }
                double[] x = new double[features.length];
                for (int f = 0; f < features.length; f++) {
                    try {
                        x[f] = Double.parseDouble(cells[features[f]].trim());
                    } catch (NumberFormatException e) {
                        throw new IOException(file + ":" + lineNumber + ": column '" + columns[features[f]]
                                + "' is not a number: '" + cells[features[f]] + "'");
                    }
                }
                String stamp = cells[timeAt].trim();
                LocalDateTime t;
                try {
                    t = NabTimestamps.parse(stamp);
                } catch (IllegalArgumentException e) {
                    throw new IOException(file + ":" + lineNumber + ": " + e.getMessage());
                }
                String key = keyAt < 0 ? name : cells[keyAt].trim();
                byKey.computeIfAbsent(key, k -> new Rows()).add(stamp, t, x);
            }
            String[] featureNames = new String[features == null ? 0 : features.length];
            for (int f = 0; f < featureNames.length; f++) {
                featureNames[f] = columns[features[f]];
            }
            List<TimeSeries> series = new ArrayList<>();
            if (byKey.isEmpty() && keyAt < 0) {
                byKey.put(name, new Rows());
            }
            byKey.forEach((key, rows) -> series.add(rows.toSeries(key, featureNames)));
            return series;
        }
    }

    private static int column(String[] columns, String wanted, Path file, String option) throws IOException {
        for (int c = 0; c < columns.length; c++) {
            if (columns[c].equals(wanted)) {
                return c;
            }
        }
        throw new IOException(file + ": no column '" + wanted + "' (" + option + ") in the header "
                + String.join(",", columns));
    }

    /** The numeric columns of the first data row, besides the timestamp, the key and the label. */
    private static int[] featureColumns(String[] columns, String[] firstRow, int timeAt, int keyAt, Path file)
            throws IOException {
        List<Integer> features = new ArrayList<>();
        for (int c = 0; c < columns.length; c++) {
            if (c == timeAt || c == keyAt || columns[c].equals(LABEL_COLUMN)) {
                continue;
            }
            try {
                Double.parseDouble(firstRow[c].trim());
                features.add(c);
            } catch (NumberFormatException e) {
                // A text column (a name, a category): not a feature.
            }
        }
        if (features.isEmpty()) {
            throw new IOException(file + ": no numeric column besides the timestamp"
                    + (keyAt < 0 ? "" : ", the key") + " and the label");
        }
        return features.stream().mapToInt(Integer::intValue).toArray();
    }

    /** One key's rows as they are read. */
    private static final class Rows {
        final List<String> stamps = new ArrayList<>();
        final List<LocalDateTime> times = new ArrayList<>();
        final List<double[]> points = new ArrayList<>();

        void add(String stamp, LocalDateTime t, double[] x) {
            stamps.add(stamp);
            times.add(t);
            points.add(x);
        }

        TimeSeries toSeries(String name, String[] featureNames) {
            return new TimeSeries(name, featureNames, stamps.toArray(new String[0]),
                    times.toArray(new LocalDateTime[0]), points.toArray(new double[0][]));
        }
    }
}
