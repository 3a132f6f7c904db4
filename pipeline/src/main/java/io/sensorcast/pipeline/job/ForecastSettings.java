package io.sensorcast.pipeline.job;

import io.sensorcast.model.dataset.SeasonalChannels;
import io.sensorcast.model.interval.IntervalLevels;
import io.sensorcast.pipeline.config.OptionChecks;
import io.sensorcast.pipeline.config.SharedOptions;
import io.sensorcast.pipeline.operators.GroupMapping;
import io.sensorcast.pipeline.operators.ModelForecastFunction;
import io.sensorcast.pipeline.operators.ModelRegistry;
import io.sensorcast.pipeline.operators.ReadingOrder;
import io.sensorcast.pipeline.operators.SequenceWindowFunction;
import io.sensorcast.pipeline.scoring.DetectorSettings;
import io.sensorcast.pipeline.scoring.ForecastScorer;
import io.sensorcast.pipeline.scoring.SensorScorer;
import io.sensorcast.pipeline.store.ModelStore;
import io.sensorcast.pipeline.store.ModelStoreOptions;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/**
 * ForecastJob's settings, read from its configuration once ({@link #of}) and handed down: each
 * operator takes the parts it uses.
 *
 * @param history readings kept per sensor ({@link ForecastOptions#HISTORY})
 * @param minWindow readings a sensor needs before its first forecast
 * @param order when a reading joins its sensor's window ({@link ForecastOptions#READING_ORDER})
 * @param intervalLevels the coverage levels of the forecasts' intervals ({@link
 *     ForecastOptions#INTERVAL_LEVELS})
 * @param channels the seasonal input channels, as the retraining job builds them
 * @param intraOpThreads libtorch's intra-op threads per forecasting subtask, 0 for its default
 */
public record ForecastSettings(
        int history,
        int minWindow,
        int batchSize,
        Duration batchDelay,
        int latencySamples,
        ReadingOrder order,
        Duration outOfOrderness,
        Duration sourceIdleness,
        Duration sensorIdleTimeout,
        DetectorSettings detector,
        Map<String, Double> groupThresholds,
        IntervalLevels intervalLevels,
        double intervalRate,
        SeasonalChannels channels,
        int intraOpThreads,
        ModelRegistry.Settings registry,
        ModelStore store,
        GroupMapping groups) {

    /**
     * The settings of {@code c}, the defaults where it sets nothing; a bad value fails naming its
     * key and the allowed range.
     */
    public static ForecastSettings of(Configuration c) {
        int history = OptionChecks.range(c, ForecastOptions.HISTORY, 2, 100_000);
        return new ForecastSettings(
                history,
                OptionChecks.range(c, ForecastOptions.MIN_WINDOW, 2, history),
                OptionChecks.range(c, ForecastOptions.BATCH_SIZE, 1, 1 << 16),
                OptionChecks.positive(c, ForecastOptions.BATCH_DELAY, false),
                OptionChecks.range(c, ForecastOptions.LATENCY_SAMPLES, 1, 10_000_000),
                OptionChecks.oneOf(c, ForecastOptions.READING_ORDER),
                OptionChecks.positive(c, ForecastOptions.OUT_OF_ORDERNESS, true),
                OptionChecks.positive(c, ForecastOptions.SOURCE_IDLENESS, false),
                OptionChecks.positive(c, ForecastOptions.SENSOR_IDLE_TIMEOUT, false),
                ForecastOptions.detector(c),
                Map.copyOf(ForecastOptions.groupThresholds(c)),
                ForecastOptions.intervalLevels(c),
                OptionChecks.range(c, ForecastOptions.INTERVAL_RATE, 1e-6, 1),
                SharedOptions.seasonalChannels(c),
                OptionChecks.range(c, SharedOptions.INTRA_OP_THREADS, 0, 1024),
                ForecastOptions.registry(c),
                ModelStoreOptions.store(c),
                ForecastOptions.groups(c));
    }

    /** The per-sensor sequence of these settings, as ForecastJob and the SQL function run it. */
    public SequenceWindowFunction sequenceFunction() {
        return new SequenceWindowFunction(
                history, minWindow, channels, sensorIdleTimeout.toMillis(), order);
    }

    /** The model serving of these settings, as ForecastJob and the SQL function run it. */
    public ModelForecastFunction forecastFunction() {
        return new ModelForecastFunction(
                store, groups, history, intraOpThreads, registry, latencySamples);
    }

    /** The scoring of these settings, as ForecastJob and the SQL function run it. */
    public ForecastScorer scorer() {
        return new ForecastScorer(
                detector,
                groupThresholds,
                sensorIdleTimeout.toMillis(),
                intervalLevels,
                intervalRate);
    }

    /** The scoring of these settings without state of its own, for the SQL function. */
    public SensorScorer sensorScorer() {
        return new SensorScorer(detector, groupThresholds, intervalLevels, intervalRate);
    }
}
