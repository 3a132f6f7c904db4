package io.sensorcast.pipeline.config;

import io.sensorcast.model.dataset.SeasonalChannels;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/**
 * The options both jobs read, declared once where both can reach them: the seasonal input channels,
 * which the retraining job gives new models and the forecasting job computes for their windows, and
 * the forward pass's threads. Their keys keep the forecast job's prefix.
 */
public final class SharedOptions {

    public static final ConfigOption<List<Duration>> SEASONAL_LAGS =
            ConfigOptions.key("sensorcast.forecast.seasonal-lags")
                    .durationType()
                    .asList()
                    .defaultValues(Duration.ofDays(1), Duration.ofDays(7))
                    .withDescription(
                            "Seasonal input channels: beside each reading of a window, the reading"
                                    + " each lag before the one after it (increasing, ';'"
                                    + " separated). Retraining gives new models these inputs;"
                                    + " set the same value for both jobs.");

    public static final ConfigOption<Integer> SEASONAL_LOOKBACK =
            ConfigOptions.key("sensorcast.forecast.seasonal-lookback")
                    .intType()
                    .defaultValue(2016)
                    .withDescription(
                            "Readings a seasonal channel may reach back, kept per sensor beside"
                                    + " the window (2016: a week of 5-minute readings); 0 for no"
                                    + " seasonal channels. Set the same value for both jobs.");

    public static final ConfigOption<Integer> INTRA_OP_THREADS =
            ConfigOptions.key("sensorcast.forecast.intra-op-threads")
                    .intType()
                    .defaultValue(1)
                    .withDescription(
                            "Threads a subtask's forward pass may use (libtorch intra-op threads;"
                                    + " on ONNX Runtime one single-threaded session each, a batch"
                                    + " in as many parts); 1 with parallelism = cores.");

    private SharedOptions() {}

    /** The seasonal input channels of {@link #SEASONAL_LAGS} and {@link #SEASONAL_LOOKBACK}. */
    public static SeasonalChannels seasonalChannels(Configuration c) {
        int lookback = OptionChecks.range(c, SEASONAL_LOOKBACK, 0, 1_000_000);
        try {
            return new SeasonalChannels(c.get(SEASONAL_LAGS), lookback);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(SEASONAL_LAGS.key() + ": " + e.getMessage(), e);
        }
    }

    /** Fails on a bad value, naming its key and the allowed range. */
    public static void validate(Configuration c) {
        OptionChecks.range(c, INTRA_OP_THREADS, 0, 1024);
        seasonalChannels(c);
    }
}
