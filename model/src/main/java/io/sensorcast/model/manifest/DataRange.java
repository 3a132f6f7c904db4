package io.sensorcast.model.manifest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.sensorcast.model.dataset.TimeSplit;

/**
 * Which data a model was trained on.
 *
 * @param source where the rows came from (a file name, a topic and time range)
 * @param firstTimestamp timestamp of the first training row
 * @param lastTimestamp timestamp of the last training row
 * @param rows rows in the source
 * @param split the train/validation/test rows
 * @param stride rows between consecutive training windows
 */
public record DataRange(
        @JsonProperty("source") String source,
        @JsonProperty("firstTimestamp") String firstTimestamp,
        @JsonProperty("lastTimestamp") String lastTimestamp,
        @JsonProperty("rows") int rows,
        @JsonProperty("split") TimeSplit split,
        @JsonProperty("stride") int stride) {}
