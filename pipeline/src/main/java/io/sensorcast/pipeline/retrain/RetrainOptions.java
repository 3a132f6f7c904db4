package io.sensorcast.pipeline.retrain;

import io.sensorcast.model.block.NetworkConfig;
import io.sensorcast.pipeline.config.OptionChecks;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/** RetrainJob's settings, typed and declared once; {@link #validate} names a bad key and range. */
public final class RetrainOptions {

    /** How RetrainJob runs its rounds. */
    public enum Mode {
        /** One round, then exit: for external schedulers (cron, a Kubernetes CronJob). */
        ONCE,
        /** A round every interval until stopped. */
        PERIODIC
    }

    public static final ConfigOption<Mode> MODE =
            ConfigOptions.key("sensorcast.retrain.mode")
                    .enumType(Mode.class)
                    .defaultValue(Mode.ONCE)
                    .withDescription(
                            "once: one round, then exit (for external schedulers); periodic: a"
                                    + " round every interval until stopped.");

    public static final ConfigOption<Duration> INTERVAL =
            ConfigOptions.key("sensorcast.retrain.interval")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription("Time between the starts of two rounds (periodic mode).");

    public static final ConfigOption<Integer> WINDOW =
            ConfigOptions.key("sensorcast.retrain.window")
                    .intType()
                    .defaultValue(NetworkConfig.DEFAULT_WINDOW)
                    .withDescription(
                            "Readings a model reads (its window); at most the forecast job's"
                                    + " sensorcast.forecast.history.");

    public static final ConfigOption<Integer> HIDDEN_SIZE =
            ConfigOptions.key("sensorcast.retrain.hidden-size")
                    .intType()
                    .defaultValue(32)
                    .withDescription("LSTM units per direction.");

    public static final ConfigOption<Integer> LAYERS =
            ConfigOptions.key("sensorcast.retrain.layers")
                    .intType()
                    .defaultValue(1)
                    .withDescription("Stacked bidirectional layers.");

    public static final ConfigOption<Integer> EPOCHS =
            ConfigOptions.key("sensorcast.retrain.epochs")
                    .intType()
                    .defaultValue(5)
                    .withDescription("Training epochs (early stopping may end sooner).");

    public static final ConfigOption<Integer> SEASON =
            ConfigOptions.key("sensorcast.retrain.season")
                    .intType()
                    .defaultValue(12)
                    .withDescription("Season of the seasonal-naive baseline, in readings.");

    public static final ConfigOption<Integer> MAX_READINGS =
            ConfigOptions.key("sensorcast.retrain.max-readings")
                    .intType()
                    .defaultValue(5000)
                    .withDescription("Newest readings per sensor a round trains and judges on.");

    public static final ConfigOption<Integer> MIN_READINGS =
            ConfigOptions.key("sensorcast.retrain.min-readings")
                    .intType()
                    .defaultValue(500)
                    .withDescription(
                            "Readings a group needs before it is trained (its first model comes"
                                    + " as soon as it has them).");

    public static final ConfigOption<Double> HOLDOUT =
            ConfigOptions.key("sensorcast.retrain.holdout")
                    .doubleType()
                    .defaultValue(0.2)
                    .withDescription("Newest fraction of the data both models are judged on.");

    public static final ConfigOption<Double> VALIDATION =
            ConfigOptions.key("sensorcast.retrain.validation")
                    .doubleType()
                    .defaultValue(0.2)
                    .withDescription("Fraction before the hold-out used for early stopping.");

    public static final ConfigOption<Double> MARGIN =
            ConfigOptions.key("sensorcast.retrain.margin")
                    .doubleType()
                    .defaultValue(0.0)
                    .withDescription(
                            "Relative error improvement a candidate needs over the current model"
                                    + " and every baseline, e.g. 0.02 = 2% lower.");

    public static final ConfigOption<Double> MAX_GAP_FRACTION =
            ConfigOptions.key("sensorcast.retrain.max-gap-fraction")
                    .doubleType()
                    .defaultValue(0.05)
                    .withDescription(
                            "Share of steps longer than 10 sampling intervals above which a"
                                    + " sensor's history is too gappy to train on.");

    public static final ConfigOption<Boolean> COLD_START_GATE =
            ConfigOptions.key("sensorcast.retrain.cold-start-gate")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Whether a group's first model must also beat the baselines; false"
                                    + " serves every group a model as soon as it has data (e.g."
                                    + " for anomaly scoring where persistence forecasts well).");

    public static final ConfigOption<Boolean> FINE_TUNE =
            ConfigOptions.key("sensorcast.retrain.fine-tune")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Whether a candidate starts from the weights (and scaling) of the"
                                    + " model in service when it has the candidate's network and"
                                    + " each column's spread is within a factor of 2 of the"
                                    + " model's, so a round refines what serves on the newest"
                                    + " readings; false trains every candidate from scratch.");

    public static final ConfigOption<String> FROM =
            ConfigOptions.key("sensorcast.retrain.from")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "Read readings from this record time (ISO-8601 instant); empty = the"
                                    + " earliest retained.");

    public static final ConfigOption<String> TO =
            ConfigOptions.key("sensorcast.retrain.to")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "Read readings up to this record time (ISO-8601 instant); empty = the"
                                    + " latest when the round starts.");

    private RetrainOptions() {}

    /** The instant {@code option} names, as epoch ms; null when it is empty. */
    public static Long instant(Configuration c, ConfigOption<String> option) {
        String v = c.get(option).trim();
        if (v.isEmpty()) {
            return null;
        }
        try {
            return java.time.Instant.parse(v).toEpochMilli();
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(
                    option.key()
                            + " must be an ISO-8601 instant such as 2026-01-31T00:00:00Z, got '"
                            + v
                            + "'");
        }
    }

    /** The mode; a value other than once or periodic fails naming the key. */
    public static Mode mode(Configuration c) {
        try {
            return c.get(MODE);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    MODE.key()
                            + " must be once or periodic, got '"
                            + c.toMap().get(MODE.key())
                            + "'",
                    e);
        }
    }

    public static void validate(Configuration c) {
        mode(c);
        if (c.get(INTERVAL).toMillis() < 1000) {
            throw new IllegalArgumentException(
                    INTERVAL.key() + " must be at least 1 s, got " + c.get(INTERVAL));
        }
        int window = OptionChecks.range(c, WINDOW, 2, 10_000);
        OptionChecks.range(c, HIDDEN_SIZE, 1, 4096);
        OptionChecks.range(c, LAYERS, 1, 16);
        OptionChecks.range(c, EPOCHS, 1, 10_000);
        OptionChecks.range(c, SEASON, 1, window);
        int max = OptionChecks.range(c, MAX_READINGS, 10, 10_000_000);
        OptionChecks.range(c, MIN_READINGS, 5 * window, max);
        OptionChecks.range(c, HOLDOUT, 0.05, 0.5);
        OptionChecks.range(c, VALIDATION, 0.05, 0.5);
        OptionChecks.range(c, MARGIN, 0, 0.9);
        OptionChecks.range(c, MAX_GAP_FRACTION, 0, 1);
        Long from = instant(c, FROM);
        Long to = instant(c, TO);
        if (from != null && to != null && from >= to) {
            throw new IllegalArgumentException(
                    FROM.key()
                            + " must be before "
                            + TO.key()
                            + ", got "
                            + c.get(FROM)
                            + " and "
                            + c.get(TO));
        }
    }
}
