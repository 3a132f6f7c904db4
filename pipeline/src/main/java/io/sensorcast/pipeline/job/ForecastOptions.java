package io.sensorcast.pipeline.job;

import io.sensorcast.pipeline.operators.GroupMapping;
import io.sensorcast.pipeline.store.ModelStoreOptions;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/** ForecastJob's settings, typed and declared once; {@link #validate} names a bad key and range. */
public final class ForecastOptions {

    public static final ConfigOption<Integer> WINDOW =
            ConfigOptions.key("sensorcast.forecast.window")
                    .intType()
                    .defaultValue(96)
                    .withDescription("Readings kept per sensor; models read the newest ones.");

    public static final ConfigOption<Duration> OUT_OF_ORDERNESS =
            ConfigOptions.key("sensorcast.forecast.out-of-orderness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription("How late a reading may be; later ones go to the late topic.");

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
                    .withDescription("The longest a window waits for its batch to fill.");

    public static final ConfigOption<String> GROUPS =
            ConfigOptions.key("sensorcast.models.groups")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "regex=group rules separated by ';' (first match wins); unmatched"
                                    + " sensors have a model of their own.");

    public static final ConfigOption<Integer> INTRA_OP_THREADS =
            ConfigOptions.key("sensorcast.forecast.intra-op-threads")
                    .intType()
                    .defaultValue(1)
                    .withDescription("libtorch threads per subtask; 1 with parallelism = cores.");

    public static final ConfigOption<Double> THRESHOLD =
            ConfigOptions.key("sensorcast.scoring.threshold")
                    .doubleType()
                    .defaultValue(0.9999)
                    .withDescription("Scores at or above this are anomalies, in (0, 1].");

    public static final ConfigOption<Integer> SCORE_LONG_WINDOW =
            ConfigOptions.key("sensorcast.scoring.long-window")
                    .intType()
                    .defaultValue(500)
                    .withDescription("Residuals that define a sensor's usual error.");

    public static final ConfigOption<Integer> SCORE_SHORT_WINDOW =
            ConfigOptions.key("sensorcast.scoring.short-window")
                    .intType()
                    .defaultValue(10)
                    .withDescription("Recent residuals averaged into the score.");

    public static final ConfigOption<Integer> SCORE_MIN_SAMPLES =
            ConfigOptions.key("sensorcast.scoring.min-samples")
                    .intType()
                    .defaultValue(100)
                    .withDescription("Residuals needed before scores are not 0.");

    private ForecastOptions() {}

    public static void validate(Configuration c) {
        OptionChecks.range(c, WINDOW, 2, 100_000);
        OptionChecks.range(c, BATCH_SIZE, 1, 1 << 16);
        OptionChecks.range(c, INTRA_OP_THREADS, 0, 1024);
        int longWindow = OptionChecks.range(c, SCORE_LONG_WINDOW, 2, 1_000_000);
        OptionChecks.range(c, SCORE_SHORT_WINDOW, 1, longWindow);
        OptionChecks.range(c, SCORE_MIN_SAMPLES, 2, longWindow);
        OptionChecks.positive(c, OUT_OF_ORDERNESS, true);
        OptionChecks.positive(c, SOURCE_IDLENESS, false);
        OptionChecks.positive(c, SENSOR_IDLE_TIMEOUT, false);
        OptionChecks.positive(c, BATCH_DELAY, false);
        double threshold = c.get(THRESHOLD);
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException(
                    THRESHOLD.key() + " must be in (0, 1], got " + threshold);
        }
        ModelStoreOptions.store(c);
        GroupMapping.parse(GROUPS.key(), c.get(GROUPS));
    }
}
