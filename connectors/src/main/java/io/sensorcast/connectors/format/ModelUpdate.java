package io.sensorcast.connectors.format;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * A message on the model-updates topic (key = model group): a new version of a group's model was
 * published to the model store at {@code location}. The message points at the artifact rather than
 * carrying it, so every forecasting subtask fetches it from the store and verifies its checksums.
 *
 * @param group the model group
 * @param version the version in the store; versions of a group only move forward
 * @param location the version's directory in the store (a file system URI, e.g. {@code
 *     file:///models/g/3} or {@code s3://bucket/models/g/3})
 * @param publishedAt when it was published (ISO-8601)
 * @param publisher who published it, e.g. {@code publish-model} or {@code retrain}
 */
public record ModelUpdate(
        @JsonProperty("group") String group,
        @JsonProperty("version") long version,
        @JsonProperty("location") String location,
        @JsonProperty("published_at") String publishedAt,
        @JsonProperty("publisher") String publisher) {

    /** Group names are one path segment of the store: letters, digits, '.', '_', '-'. */
    public static final Pattern GROUP = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

    private static final ObjectMapper JSON =
            new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public ModelUpdate {
        if (group == null || !GROUP.matcher(group).matches()) {
            throw new IllegalArgumentException(
                    "model group must match " + GROUP.pattern() + ", got '" + group + "'");
        }
        if (version < 1) {
            throw new IllegalArgumentException("model version must be >= 1, got " + version);
        }
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("model update without a location");
        }
    }

    /** Parses the topic's JSON; anything malformed or incomplete is an IllegalArgumentException. */
    public static ModelUpdate parse(byte[] json) {
        if (json == null || json.length == 0) {
            throw new IllegalArgumentException("empty model update (a tombstone?)");
        }
        ModelUpdate update;
        try {
            update = JSON.readValue(json, ModelUpdate.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed model update: " + e.getMessage(), e);
        }
        if (update == null) {
            throw new IllegalArgumentException("malformed model update: JSON null");
        }
        return update;
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
