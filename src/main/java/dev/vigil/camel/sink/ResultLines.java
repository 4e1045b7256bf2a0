package dev.vigil.camel.sink;

import dev.vigil.service.point.Result;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A group's results as JSON lines (what every sink writes), each with the fields a per-record sink makes headers of,
 * taken from the result as it is written: the sink need not read its own lines again to find them.
 */
public final class ResultLines extends AbstractList<String> implements RandomAccess {
    /** The fields of one line that a per-record sink sends as headers; null when the line has none. */
    record HeaderFields(String key, String severity, String model, String state) {
    }

    private final List<String> lines = new ArrayList<>();
    private final List<HeaderFields> fields = new ArrayList<>();

    /** Appends the result's line, already written by {@link ResultJson#result}, and its header fields. */
    public void appendLine(String line, Result r) {
        lines.add(line);
        fields.add(new HeaderFields(r.point().key(), r.severity().label(), r.model(), r.state().label()));
    }

    HeaderFields fields(int index) {
        return fields.get(index);
    }

    @Override
    public String get(int index) {
        return lines.get(index);
    }

    @Override
    public int size() {
        return lines.size();
    }
}
