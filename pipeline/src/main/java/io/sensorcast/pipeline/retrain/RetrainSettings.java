package io.sensorcast.pipeline.retrain;

import io.sensorcast.model.dataset.SeasonalChannels;
import io.sensorcast.pipeline.config.OptionChecks;
import io.sensorcast.pipeline.config.SharedOptions;
import java.io.Serializable;
import org.apache.flink.configuration.Configuration;

/**
 * {@link RetrainOptions} read once into an immutable, serializable value, with the forecasting
 * job's seasonal channels ({@link SharedOptions#seasonalChannels}): new models read what the job
 * serves them.
 */
public record RetrainSettings(
        int window,
        int hiddenSize,
        int layers,
        int epochs,
        int season,
        int maxReadings,
        int minReadings,
        double holdout,
        double validation,
        double margin,
        double maxGapFraction,
        boolean coldStartGate,
        boolean fineTune,
        SeasonalChannels channels,
        int intraOpThreads)
        implements Serializable {

    public static RetrainSettings from(Configuration c) {
        RetrainOptions.validate(c);
        return new RetrainSettings(
                c.get(RetrainOptions.WINDOW),
                c.get(RetrainOptions.HIDDEN_SIZE),
                c.get(RetrainOptions.LAYERS),
                c.get(RetrainOptions.EPOCHS),
                c.get(RetrainOptions.SEASON),
                c.get(RetrainOptions.MAX_READINGS),
                c.get(RetrainOptions.MIN_READINGS),
                c.get(RetrainOptions.HOLDOUT),
                c.get(RetrainOptions.VALIDATION),
                c.get(RetrainOptions.MARGIN),
                c.get(RetrainOptions.MAX_GAP_FRACTION),
                c.get(RetrainOptions.COLD_START_GATE),
                c.get(RetrainOptions.FINE_TUNE),
                SharedOptions.seasonalChannels(c),
                OptionChecks.range(c, SharedOptions.INTRA_OP_THREADS, 0, 1024));
    }
}
