package io.sensorcast.model.evaluation.nab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A NAB application profile: the weights of true positives, false positives and misses. */
public record NabProfile(String name, double tpWeight, double fpWeight, double fnWeight) {

    /** The profiles of a NAB {@code profiles.json}, by name, in file order. */
    public static Map<String, NabProfile> read(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        Map<String, NabProfile> out = new LinkedHashMap<>();
        root.fields()
                .forEachRemaining(
                        e -> {
                            JsonNode m = e.getValue().get("CostMatrix");
                            if (m == null) {
                                throw new IllegalArgumentException(
                                        file + ": profile " + e.getKey() + " has no CostMatrix");
                            }
                            out.put(
                                    e.getKey(),
                                    new NabProfile(
                                            e.getKey(),
                                            m.get("tpWeight").asDouble(),
                                            m.get("fpWeight").asDouble(),
                                            m.get("fnWeight").asDouble()));
                        });
        return out;
    }
}
