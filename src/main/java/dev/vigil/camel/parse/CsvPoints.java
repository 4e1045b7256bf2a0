package dev.vigil.camel.parse;

import dev.vigil.service.point.RawPoint;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CSV with a header line: columns {@code id}, {@code key} and {@code timestamp} are metadata, every other
 * column a feature. Cells may be quoted (RFC 4180: commas and doubled quotes inside quotes). Values stay text
 * here; validation parses them.
 */
public final class CsvPoints {
    private final String[] names;
    private final int[] featureColumns;
    private final int idColumn;
    private final int keyColumn;
    private final int timestampColumn;
    private final int columns;

    public CsvPoints(String headerLine) {
        String header = headerLine.startsWith("\uFEFF") ? headerLine.substring(1) : headerLine;
        List<String> cells = split(header);
        if (cells == null) {
            throw new InputProblem(400, "malformed", "the CSV header has an unterminated quote");
        }
        columns = cells.size();
        List<String> featureNames = new ArrayList<>();
        List<Integer> featureIndexes = new ArrayList<>();
        int id = -1;
        int key = -1;
        int timestamp = -1;
        for (int i = 0; i < cells.size(); i++) {
            String name = cells.get(i).strip();
            switch (name) {
                case "id" -> id = i;
                case "key" -> key = i;
                case "timestamp" -> timestamp = i;
                default -> {
                    featureNames.add(name);
                    featureIndexes.add(i);
                }
            }
        }
        this.names = featureNames.toArray(new String[0]);
        this.featureColumns = featureIndexes.stream().mapToInt(Integer::intValue).toArray();
        this.idColumn = id;
        this.keyColumn = key;
        this.timestampColumn = timestamp;
    }

    /** One data line as a raw point; throws {@link InputProblem} when the line does not fit the header. */
    public RawPoint parse(String line, String defaultId, String defaultKey) {
        List<String> cells = split(line);
        if (cells == null) {
            throw new InputProblem(400, "malformed", "unterminated quote");
        }
        if (cells.size() != columns) {
            throw new InputProblem(400, "malformed", cells.size() + " cells; the header has " + columns + " columns");
        }
        Object[] values = new Object[featureColumns.length];
        for (int i = 0; i < featureColumns.length; i++) {
            values[i] = cells.get(featureColumns[i]);
        }
        String key = keyColumn >= 0 && !cells.get(keyColumn).isEmpty() ? cells.get(keyColumn) : defaultKey;
        String id = idColumn >= 0 && !cells.get(idColumn).isEmpty() ? cells.get(idColumn) : defaultId;
        String timestamp = timestampColumn >= 0 ? cells.get(timestampColumn) : null;
        return new RawPoint(id, key, timestamp, names, values, line);
    }

    /** The cells of one line, or null if a quote is not closed. */
    public static List<String> split(String line) {
        List<String> cells = new ArrayList<>();
        if (line.indexOf('"') < 0) {
            int from = 0;
            int comma;
            while ((comma = line.indexOf(',', from)) >= 0) {
                cells.add(line.substring(from, comma));
                from = comma + 1;
            }
            cells.add(line.substring(from));
            return cells;
        }
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        if (quoted) {
            return null;
        }
        cells.add(cell.toString());
        return cells;
    }
}
