package io.sensorcast.model.manifest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.sensorcast.model.block.NetworkConfig;
import io.sensorcast.model.dataset.Standardizer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to serve, check and compare a model, stored as {@code manifest.json} beside its
 * parameters: the architecture, the input contract (features in order, targets, window, horizon,
 * scaler statistics), where the training data came from, how training went, and the validation
 * metrics of the model and of the baselines on the same windows.
 *
 * @param features input columns, in the order the network reads them
 * @param targets forecast columns, each also an input feature
 * @param scaler statistics of the training rows, one per feature
 * @param seasonPeriod the seasonal-naive baseline's period, in rows
 * @param validation metrics on the validation windows, keyed {@code model} and by baseline name
 * @param createdAt ISO-8601 instant
 */
public record ModelManifest(
        @JsonProperty("formatVersion") int formatVersion,
        @JsonProperty("network") NetworkConfig network,
        @JsonProperty("features") List<String> features,
        @JsonProperty("targets") List<String> targets,
        @JsonProperty("scaler") Standardizer scaler,
        @JsonProperty("seasonPeriod") int seasonPeriod,
        @JsonProperty("data") DataRange data,
        @JsonProperty("trainingOptions") TrainingOptions trainingOptions,
        @JsonProperty("training") TrainingResult training,
        @JsonProperty("validation") Map<String, ForecastMetrics> validation,
        @JsonProperty("createdAt") String createdAt,
        @JsonProperty("djlVersion") String djlVersion,
        @JsonProperty("torchVersion") String torchVersion) {

    /** The manifest format this code writes and reads. */
    public static final int FORMAT_VERSION = 1;

    public ModelManifest {
        features = List.copyOf(features);
        targets = List.copyOf(targets);
        validation =
                validation == null
                        ? Map.of()
                        : Collections.unmodifiableMap(new LinkedHashMap<>(validation));
    }

    public int window() {
        return network.window();
    }

    public int horizon() {
        return network.horizon();
    }
}
