package io.sensorcast.pipeline.job;

import io.sensorcast.model.interval.IntervalLevels;
import io.sensorcast.model.interval.OnlineIntervals;
import io.sensorcast.model.serving.ServingEngine;
import io.sensorcast.pipeline.config.OptionChecks;
import io.sensorcast.pipeline.operators.GroupMapping;
import io.sensorcast.pipeline.operators.ModelRegistry;
import io.sensorcast.pipeline.operators.ReadingOrder;
import io.sensorcast.pipeline.scoring.DetectorSettings;
import io.sensorcast.pipeline.store.ModelStoreOptions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/**
 * ForecastJob's options, typed and declared once; {@link ForecastSettings#of} reads them, naming a
 * bad key and its range.
 */
public final class ForecastOptions {

    public static final ConfigOption<Integer> HISTORY =
            ConfigOptions.key("sensorcast.forecast.history")
                    .intType()
                    .defaultValue(96)
                    .withDeprecatedKeys("sensorcast.forecast.window")
                    .withDescription(
                            "Readings kept per sensor; a model reads the newest ones, as many as"
                                    + " its window (sensorcast.retrain.window), at most this."
                                    + " Formerly sensorcast.forecast.window, still read.");

    public static final ConfigOption<Integer> MIN_WINDOW =
            ConfigOptions.key("sensorcast.forecast.min-window")
                    .intType()
                    .defaultValue(2)
                    .withDescription(
                            "Readings a sensor needs before its first forecast, in [2, history]:"
                                    + " shorter windows than a model reads get the persistence"
                                    + " forecast, so from the sensor's third reading on every"
                                    + " reading is scored. Set to the window to forecast"
                                    + " complete windows only.");

    public static final ConfigOption<ReadingOrder> READING_ORDER =
            ConfigOptions.key("sensorcast.forecast.reading-order")
                    .enumType(ReadingOrder.class)
                    .defaultValue(ReadingOrder.ARRIVAL)
                    .withDescription(
                            "ARRIVAL: a reading newer than its sensor's newest is forecast and"
                                    + " scored at once, an older one goes to the late topic (for"
                                    + " sources that keep each sensor's readings in order, as a"
                                    + " Kafka partition does). EVENT_TIME: readings wait for the"
                                    + " watermark and are put in event-time order, reordering"
                                    + " within sensorcast.forecast.out-of-orderness is undone, at"
                                    + " the cost of that wait.");

    public static final ConfigOption<Duration> OUT_OF_ORDERNESS =
            ConfigOptions.key("sensorcast.forecast.out-of-orderness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription(
                            "How far behind the newest reading the watermark trails. In"
                                    + " event-time order, how late a reading may be (later ones"
                                    + " go to the late topic) and how long every reading waits;"
                                    + " in arrival order, it only delays idle-sensor expiry.");

    public static final ConfigOption<Duration> SOURCE_IDLENESS =
            ConfigOptions.key("sensorcast.forecast.source-idleness")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription("A split silent this long stops holding back the watermark.");

    public static final ConfigOption<Duration> SENSOR_IDLE_TIMEOUT =
            ConfigOptions.key("sensorcast.forecast.sensor-idle-timeout")
                    .durationType()
                    .defaultValue(Duration.ofDays(7))
                    .withDescription("Event-time silence after which a sensor's state is dropped.");

    public static final ConfigOption<Integer> BATCH_SIZE =
            ConfigOptions.key("sensorcast.forecast.batch-size")
                    .intType()
                    .defaultValue(256)
                    .withDescription("Windows per forward pass.");

    public static final ConfigOption<Duration> BATCH_DELAY =
            ConfigOptions.key("sensorcast.forecast.batch-delay")
                    .durationType()
                    .defaultValue(Duration.ofMillis(20))
                    .withDescription(
                            "The longest a window waits for its batch to fill; a watermark"
                                    + " closes the batch sooner.");

    public static final ConfigOption<Integer> LATENCY_SAMPLES =
            ConfigOptions.key("sensorcast.metrics.latency-samples")
                    .intType()
                    .defaultValue(10_000)
                    .withDescription(
                            "The newest forecasts whose reading-to-forecast latency each subtask's"
                                    + " readingToForecastMillis histogram keeps: its percentiles"
                                    + " are over these.");

    public static final ConfigOption<Duration> MODEL_RETRY_MAX_BACKOFF =
            ConfigOptions.key("sensorcast.models.load-retry-max-backoff")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(5))
                    .withDescription(
                            "A model version the store cannot hand over now (down, or the version"
                                    + " not there) is tried again after 1 s, doubling up to this.");

    public static final ConfigOption<Duration> MODEL_RETRY_FOR =
            ConfigOptions.key("sensorcast.models.load-retry-for")
                    .durationType()
                    .defaultValue(Duration.ofHours(1))
                    .withDescription(
                            "How long such a version is retried before it is rejected; the"
                                    + " model in service keeps serving meanwhile.");

    public static final ConfigOption<Duration> MODEL_IDLE_RELEASE =
            ConfigOptions.key("sensorcast.models.idle-release")
                    .durationType()
                    .defaultValue(Duration.ofHours(1))
                    .withDescription(
                            "A model group no window has needed for this long (processing time)"
                                    + " is forgotten and its model released.");

    public static final ConfigOption<String> GROUPS =
            ConfigOptions.key("sensorcast.models.groups")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "regex=group rules separated by ';' (first match wins); unmatched"
                                    + " sensors have a model of their own.");

    public static final ConfigOption<ServingEngine> SERVING_ENGINE =
            ConfigOptions.key("sensorcast.models.serving-engine")
                    .enumType(ServingEngine.class)
                    .defaultValue(ServingEngine.DEFAULT)
                    .withDescription(
                            "Engine that serves forecasts: onnxruntime (the model's ONNX export,"
                                    + " refused unless it matches libtorch within 1e-5), pytorch,"
                                    + " or auto: onnxruntime on a CPU-only machine, pytorch where"
                                    + " libtorch sees a GPU.");

    public static final ConfigOption<String> INTERVAL_LEVELS =
            ConfigOptions.key("sensorcast.forecast.interval-levels")
                    .stringType()
                    .defaultValue("0.8,0.95")
                    .withDescription(
                            "Coverage levels of each forecast step's prediction interval,"
                                    + " comma-separated, each in (0, 1); none for no intervals."
                                    + " Calibrated online per sensor, target and step from the"
                                    + " sensor's own errors (docs/forecast-job.md).");

    public static final ConfigOption<Double> INTERVAL_RATE =
            ConfigOptions.key("sensorcast.forecast.interval-rate")
                    .doubleType()
                    .defaultValue(OnlineIntervals.DEFAULT_RATE)
                    .withDescription(
                            "How far an interval bound moves on each error, in units of the"
                                    + " errors' mean size, in (0, 1]: higher follows changes"
                                    + " faster, with noisier bands.");

    /** {@link #INTERVAL_LEVELS}; a bad value fails naming the key and the range. */
    public static IntervalLevels intervalLevels(Configuration c) {
        String spec = c.get(INTERVAL_LEVELS).trim();
        if (spec.equalsIgnoreCase("none") || spec.isEmpty()) {
            return IntervalLevels.NONE;
        }
        try {
            return IntervalLevels.of(
                    java.util.Arrays.stream(spec.split(","))
                            .map(String::trim)
                            .map(Double::valueOf)
                            .toList());
        } catch (IllegalArgumentException e) { // NumberFormatException too
            throw new IllegalArgumentException(
                    INTERVAL_LEVELS.key()
                            + " must be levels in (0, 1), comma-separated, or none; got '"
                            + spec
                            + "': "
                            + e.getMessage(),
                    e);
        }
    }

    // The anomaly detector (scoring.AnomalyDetector); defaults tuned on the NAB development subset.
    private static final DetectorSettings DETECTOR = DetectorSettings.defaults();

    public static final ConfigOption<Double> THRESHOLD =
            ConfigOptions.key("sensorcast.scoring.threshold")
                    .doubleType()
                    .defaultValue(DETECTOR.threshold())
                    .withDescription("Alert scores at or above this flag an anomaly, in (0, 1).");

    public static final ConfigOption<Integer> SCORE_SHORT_WINDOW =
            ConfigOptions.key("sensorcast.scoring.short-window")
                    .intType()
                    .defaultValue(DETECTOR.shortWindow())
                    .withDescription("Forecast errors averaged into the current error level.");

    public static final ConfigOption<Duration> SCORE_ERROR_HISTORY =
            ConfigOptions.key("sensorcast.scoring.error-history")
                    .durationType()
                    .defaultValue(DETECTOR.errorHistory())
                    .withDescription(
                            "How far back forecast error levels define a sensor's usual error.");

    public static final ConfigOption<Duration> SCORE_REESTIMATE_INTERVAL =
            ConfigOptions.key("sensorcast.scoring.reestimate-interval")
                    .durationType()
                    .defaultValue(DETECTOR.reestimateInterval())
                    .withDescription(
                            "Time between re-estimates of the usual error, at most the error"
                                    + " history.");

    public static final ConfigOption<Integer> SCORE_MIN_HISTORY =
            ConfigOptions.key("sensorcast.scoring.min-history")
                    .intType()
                    .defaultValue(DETECTOR.minHistory())
                    .withDescription(
                            "Error levels needed before the error likelihood scores (a sample"
                                    + " size, in readings).");

    public static final ConfigOption<Double> SCORE_SIGMA_FLOOR =
            ConfigOptions.key("sensorcast.scoring.sigma-floor")
                    .doubleType()
                    .defaultValue(DETECTOR.sigmaFloor())
                    .withDescription("Smallest spread of error levels, in units of the range.");

    public static final ConfigOption<Double> SCORE_TAIL_SCALE =
            ConfigOptions.key("sensorcast.scoring.tail-scale")
                    .doubleType()
                    .defaultValue(DETECTOR.tailScale())
                    .withDescription("-log10 of the tail probability that scores 0.5.");

    public static final ConfigOption<Double> SCORE_RANGE_TOLERANCE =
            ConfigOptions.key("sensorcast.scoring.range-tolerance")
                    .doubleType()
                    .defaultValue(DETECTOR.spatialTolerance())
                    .withDescription(
                            "Fraction of the running range a reading may pass its minimum or"
                                    + " maximum by before it is out of range.");

    public static final ConfigOption<Integer> SCORE_RANGE_WARMUP =
            ConfigOptions.key("sensorcast.scoring.range-warmup")
                    .intType()
                    .defaultValue(DETECTOR.spatialWarmup())
                    .withDescription(
                            "Readings before the out-of-range rule applies (a sample of the"
                                    + " range).");

    public static final ConfigOption<Duration> SCORE_REFRACTORY =
            ConfigOptions.key("sensorcast.scoring.refractory-period")
                    .durationType()
                    .defaultValue(DETECTOR.refractory())
                    .withDescription("Time after an anomaly during which no alert is raised.");

    public static final ConfigOption<Integer> SCORE_MAX_WEEK_LAG =
            ConfigOptions.key("sensorcast.scoring.max-week-lag")
                    .intType()
                    .defaultValue(DETECTOR.maxWeekLag())
                    .withDescription(
                            "Most values the week-ago comparison keeps (its state, 4 bytes each):"
                                    + " a week of more readings is kept as means of consecutive"
                                    + " readings; 0 turns the comparison off.");

    public static final ConfigOption<Double> SCORE_PERSISTENCE_WEIGHT =
            ConfigOptions.key("sensorcast.scoring.persistence-weight")
                    .doubleType()
                    .defaultValue(DETECTOR.persistenceWeight())
                    .withDescription(
                            "The persistence forecast's share w of the forecast error: (1 - w) *"
                                    + " |actual - forecast| + w * |actual - last reading|.");

    public static final ConfigOption<String> GROUP_THRESHOLDS =
            ConfigOptions.key("sensorcast.scoring.group-thresholds")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "group=threshold pairs separated by ';' for model groups that need"
                                    + " another threshold than sensorcast.scoring.threshold.");

    private ForecastOptions() {}

    /** {@link #GROUP_THRESHOLDS} as a map; a bad pair fails naming the key and the range. */
    public static Map<String, Double> groupThresholds(Configuration c) {
        Map<String, Double> out = new LinkedHashMap<>();
        String spec = c.get(GROUP_THRESHOLDS);
        if (spec.isBlank()) {
            return out;
        }
        for (String pair : spec.split(";")) {
            int eq = pair.lastIndexOf('=');
            double t = Double.NaN;
            if (eq > 0) {
                try {
                    t = Double.parseDouble(pair.substring(eq + 1).trim());
                } catch (NumberFormatException e) {
                    // reported below
                }
            }
            if (!(t > 0 && t < 1)) {
                throw new IllegalArgumentException(
                        GROUP_THRESHOLDS.key()
                                + " must be group=threshold pairs separated by ';' with thresholds"
                                + " in (0, 1), got '"
                                + pair
                                + "'");
            }
            out.put(pair.substring(0, eq).trim(), t);
        }
        return out;
    }

    /** The detector's settings; a bad value fails naming its key and the allowed range. */
    public static DetectorSettings detector(Configuration c) {
        Duration history =
                OptionChecks.range(
                        c,
                        SCORE_ERROR_HISTORY,
                        Duration.ofMinutes(1),
                        DetectorSettings.MAX_DURATION);
        double threshold = c.get(THRESHOLD);
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException(
                    THRESHOLD.key() + " must be in (0, 1), got " + threshold);
        }
        return new DetectorSettings(
                OptionChecks.range(c, SCORE_SHORT_WINDOW, 1, 10_000),
                history,
                OptionChecks.range(c, SCORE_REESTIMATE_INTERVAL, Duration.ofMillis(1), history),
                OptionChecks.range(c, SCORE_MIN_HISTORY, 2, 1_000_000),
                OptionChecks.range(c, SCORE_SIGMA_FLOOR, 1e-9, 0.5),
                OptionChecks.range(c, SCORE_TAIL_SCALE, 0.01, 1000),
                OptionChecks.range(c, SCORE_RANGE_TOLERANCE, 0, 10),
                OptionChecks.range(c, SCORE_RANGE_WARMUP, 0, 1_000_000),
                threshold,
                OptionChecks.range(
                        c, SCORE_REFRACTORY, Duration.ZERO, DetectorSettings.MAX_DURATION),
                OptionChecks.range(c, SCORE_MAX_WEEK_LAG, 0, 1_000_000),
                OptionChecks.range(c, SCORE_PERSISTENCE_WEIGHT, 0, 1));
    }

    /** The sensor-to-model-group mapping of {@code sensorcast.models.groups}. */
    public static GroupMapping groups(Configuration c) {
        return GroupMapping.parse(GROUPS.key(), c.get(GROUPS));
    }

    /** How the forecasting subtasks retry model loads and release unused groups. */
    public static ModelRegistry.Settings registry(Configuration c) {
        return new ModelRegistry.Settings(
                ModelRegistry.Settings.defaults().retryInitial(),
                OptionChecks.positive(c, MODEL_RETRY_MAX_BACKOFF, false),
                OptionChecks.positive(c, MODEL_RETRY_FOR, true),
                OptionChecks.positive(c, MODEL_IDLE_RELEASE, false),
                ModelStoreOptions.limits(c),
                OptionChecks.oneOf(c, SERVING_ENGINE));
    }
}
