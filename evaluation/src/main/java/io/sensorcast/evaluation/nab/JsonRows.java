package io.sensorcast.evaluation.nab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A harness' table as one JSON document: what it ran with, then its rows. */
final class JsonRows {

    private JsonRows() {}

    /** Writes {@code {key: value, "rows": rows}} to {@code file}; nothing where it is null. */
    static void write(Path file, String key, Object value, List<?> rows) throws IOException {
        if (file == null) {
            return;
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put(key, value);
        doc.put("rows", rows);
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(file.toFile(), doc);
    }
}
