package io.sensorcast.evaluation.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** A benchmark's figures as one JSON object, with stable names, for tools that compare runs. */
public final class Figures {

    private Figures() {}

    /** Writes {@code figures} to {@code file}; nothing where it is null. */
    public static void write(Path file, Map<String, Object> figures) throws IOException {
        if (file != null) {
            new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(file.toFile(), figures);
        }
    }
}
