package io.sensorcast.connectors.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * Every Kafka setting of sensorcast, typed and declared once. Kafka client properties (SASL, SSL,
 * timeouts, …) pass through under the prefix {@value #CLIENT_PREFIX}, e.g. {@code
 * sensorcast.kafka.client.security.protocol=SASL_SSL}.
 */
public final class KafkaOptions {

    /** Keys under this prefix are handed to every Kafka client without the prefix. */
    public static final String CLIENT_PREFIX = "sensorcast.kafka.client.";

    public static final ConfigOption<String> BOOTSTRAP_SERVERS =
            ConfigOptions.key("sensorcast.kafka.bootstrap-servers")
                    .stringType()
                    .defaultValue("localhost:9092")
                    .withDescription("Kafka bootstrap servers, host:port[,host:port...].");

    public static final ConfigOption<String> READINGS_TOPIC =
            topic("readings", "Sensor readings, key = sensor id.");
    public static final ConfigOption<String> FORECASTS_TOPIC =
            topic("forecasts", "Forecasts, key = sensor id.");
    public static final ConfigOption<String> SCORES_TOPIC =
            topic("scores", "One anomaly score per scored reading, key = sensor id.");
    public static final ConfigOption<String> ANOMALIES_TOPIC =
            topic("anomalies", "Flagged scores, key = sensor id.");
    public static final ConfigOption<String> DEAD_LETTER_TOPIC =
            topic("dead-letter", "Refused records with the reason, raw bytes and source offset.");
    public static final ConfigOption<String> LATE_TOPIC =
            topic("late", "Readings later than the allowed lateness.");
    public static final ConfigOption<String> MODEL_UPDATES_TOPIC =
            topic("model-updates", "Published model versions, key = model group.");
    public static final ConfigOption<String> RETRAIN_REPORTS_TOPIC =
            topic("retrain-reports", "Retraining decisions, key = model group.");

    public static final ConfigOption<String> GROUP_ID =
            ConfigOptions.key("sensorcast.kafka.group-id")
                    .stringType()
                    .defaultValue("sensorcast")
                    .withDescription("Consumer group id of the sources.");

    public static final ConfigOption<String> STARTING_OFFSETS =
            ConfigOptions.key("sensorcast.kafka.starting-offsets")
                    .stringType()
                    .defaultValue("committed-or-earliest")
                    .withDescription(
                            "Where a source without state starts: earliest, latest,"
                                    + " committed-or-earliest, or timestamp:<epoch ms>.");

    public static final ConfigOption<DeliveryGuarantee> DELIVERY_GUARANTEE =
            ConfigOptions.key("sensorcast.kafka.delivery-guarantee")
                    .enumType(DeliveryGuarantee.class)
                    .defaultValue(DeliveryGuarantee.EXACTLY_ONCE)
                    .withDescription(
                            "The sinks' guarantee, unless an output sets its own"
                                    + " (sensorcast.kafka.delivery.*): EXACTLY_ONCE (transactions"
                                    + " committed on checkpoints, so a read_committed consumer"
                                    + " sees a record when the checkpoint after it completes) or"
                                    + " AT_LEAST_ONCE (readable as soon as written; records since"
                                    + " the last checkpoint are written again after a failure).");

    /** {@link #DELIVERY_GUARANTEE}'s value as written, for {@link #deliveryGuarantee}. */
    private static final ConfigOption<String> DELIVERY_GUARANTEE_TEXT =
            ConfigOptions.key(DELIVERY_GUARANTEE.key()).stringType().noDefaultValue();

    public static final ConfigOption<String> FORECASTS_DELIVERY =
            delivery("forecasts", null, "Forecasts' guarantee");
    public static final ConfigOption<String> SCORES_DELIVERY =
            delivery("scores", null, "Scores' guarantee");
    public static final ConfigOption<String> LATE_DELIVERY =
            delivery("late", null, "Late readings' guarantee");
    public static final ConfigOption<String> ANOMALIES_DELIVERY =
            delivery(
                    "anomalies",
                    DeliveryGuarantee.AT_LEAST_ONCE,
                    "Anomalies' guarantee, at-least-once unless set, so that an alert is readable"
                            + " when it is written, not at the next checkpoint. After a failure"
                            + " the anomalies since the last checkpoint are written again, the"
                            + " same records: a consumer drops repeats by (sensor, target,"
                            + " target_ts)");

    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
            ConfigOptions.key("sensorcast.kafka.transactional-id-prefix")
                    .stringType()
                    .defaultValue("sensorcast")
                    .withDescription(
                            "Prefix of the sinks' transactional ids; unique per job on a cluster.");

    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT =
            ConfigOptions.key("sensorcast.kafka.transaction-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(15))
                    .withDescription(
                            "Producer transaction timeout; must exceed the checkpoint interval"
                                    + " and not exceed the broker's transaction.max.timeout.ms.");

    public static final ConfigOption<Integer> MAX_RECORD_BYTES =
            ConfigOptions.key("sensorcast.readings.max-record-bytes")
                    .intType()
                    .defaultValue(64 * 1024)
                    .withDescription("Larger reading records go to the dead-letter topic.");

    public static final ConfigOption<Integer> MAX_FEATURES =
            ConfigOptions.key("sensorcast.readings.max-features")
                    .intType()
                    .defaultValue(64)
                    .withDescription(
                            "Readings with more named values go to the dead-letter topic (each"
                                    + " feature costs a window of keyed state).");

    public static final ConfigOption<Integer> MAX_SENSOR_ID_LENGTH =
            ConfigOptions.key("sensorcast.readings.max-sensor-id-length")
                    .intType()
                    .defaultValue(256)
                    .withDescription(
                            "Readings with longer sensor ids go to the dead-letter topic.");

    public static final ConfigOption<Duration> MAX_FUTURE =
            ConfigOptions.key("sensorcast.readings.max-future")
                    .durationType()
                    .defaultValue(Duration.ofDays(1))
                    .withDescription(
                            "Readings whose event time is further ahead of the clock are"
                                    + " dead-lettered.");

    public static final ConfigOption<Double> MAX_ABS_VALUE =
            ConfigOptions.key("sensorcast.readings.max-abs-value")
                    .doubleType()
                    .defaultValue(1e12)
                    .withDescription("Readings with a larger magnitude are dead-lettered.");

    private KafkaOptions() {}

    private static ConfigOption<String> delivery(
            String output, DeliveryGuarantee fixed, String description) {
        var key = ConfigOptions.key("sensorcast.kafka.delivery." + output).stringType();
        return fixed == null
                ? key.noDefaultValue()
                        .withDescription(
                                description
                                        + ", EXACTLY_ONCE or AT_LEAST_ONCE; unless set, "
                                        + DELIVERY_GUARANTEE.key()
                                        + "'s.")
                : key.defaultValue(fixed.name())
                        .withDescription(description + "; EXACTLY_ONCE or AT_LEAST_ONCE.");
    }

    private static ConfigOption<String> topic(String name, String description) {
        return ConfigOptions.key("sensorcast.kafka.topic." + name)
                .stringType()
                .defaultValue("sensorcast." + name)
                .withDescription(description);
    }

    /**
     * Checks every value against its allowed range and throws naming the key; call when a job is
     * built, not at the first record.
     */
    public static void validate(Configuration config) {
        validateNames(config);
        OffsetsSpec.parse(STARTING_OFFSETS.key(), config.get(STARTING_OFFSETS));
        int maxBytes = config.get(MAX_RECORD_BYTES);
        if (maxBytes < 16 || maxBytes > 100 * 1024 * 1024) {
            throw new IllegalArgumentException(
                    MAX_RECORD_BYTES.key() + " must be in [16, 104857600], got " + maxBytes);
        }
        for (ConfigOption<Integer> o : List.of(MAX_FEATURES, MAX_SENSOR_ID_LENGTH)) {
            int v = config.get(o);
            if (v < 1 || v > 100_000) {
                throw new IllegalArgumentException(o.key() + " must be in [1, 100000], got " + v);
            }
        }
        Duration future = config.get(MAX_FUTURE);
        if (future.isNegative() || future.compareTo(Duration.ofDays(3650)) > 0) {
            throw new IllegalArgumentException(
                    MAX_FUTURE.key() + " must be in [0, 3650 d], got " + future);
        }
        double maxAbs = config.get(MAX_ABS_VALUE);
        if (!(maxAbs > 0) || Double.isInfinite(maxAbs)) {
            throw new IllegalArgumentException(
                    MAX_ABS_VALUE.key() + " must be a finite number > 0, got " + maxAbs);
        }
        Duration txTimeout = config.get(TRANSACTION_TIMEOUT);
        if (txTimeout.compareTo(Duration.ofSeconds(1)) < 0
                || txTimeout.compareTo(Duration.ofHours(24)) > 0) {
            throw new IllegalArgumentException(
                    TRANSACTION_TIMEOUT.key() + " must be in [1 s, 24 h], got " + txTimeout);
        }
        if (config.get(TRANSACTIONAL_ID_PREFIX).isBlank()) {
            throw new IllegalArgumentException(
                    TRANSACTIONAL_ID_PREFIX.key() + " must not be empty");
        }
        deliveryGuarantee(config);
        for (ConfigOption<String> o :
                List.of(FORECASTS_DELIVERY, SCORES_DELIVERY, ANOMALIES_DELIVERY, LATE_DELIVERY)) {
            deliveryGuarantee(config, o);
        }
    }

    /** The bootstrap servers are host:port pairs, every topic name one Kafka accepts. */
    private static void validateNames(Configuration config) {
        String servers = config.get(BOOTSTRAP_SERVERS);
        if (servers.isBlank() || !servers.matches("[^,\\s]+:\\d+(,[^,\\s]+:\\d+)*")) {
            throw new IllegalArgumentException(
                    BOOTSTRAP_SERVERS.key()
                            + " must be host:port[,host:port...], got '"
                            + servers
                            + "'");
        }
        for (ConfigOption<String> topic :
                new ConfigOption[] {
                    READINGS_TOPIC,
                    FORECASTS_TOPIC,
                    SCORES_TOPIC,
                    ANOMALIES_TOPIC,
                    DEAD_LETTER_TOPIC,
                    LATE_TOPIC,
                    MODEL_UPDATES_TOPIC,
                    RETRAIN_REPORTS_TOPIC
                }) {
            String name = config.get(topic);
            if (!name.matches("[a-zA-Z0-9._-]{1,249}")) {
                throw new IllegalArgumentException(
                        topic.key()
                                + " must be 1-249 characters of [a-zA-Z0-9._-], got '"
                                + name
                                + "'");
            }
        }
    }

    /**
     * The sinks' delivery guarantee: {@code EXACTLY_ONCE} or {@code AT_LEAST_ONCE}, as this
     * option's description writes them, or Flink's own spelling ({@code exactly-once}, {@code
     * at-least-once}), in any case. Read it through this method, not {@code config.get}: Flink's
     * enum conversion takes only the second spelling ({@code DeliveryGuarantee.toString()}) and
     * fails with a message that names no allowed value.
     */
    public static DeliveryGuarantee deliveryGuarantee(Configuration config) {
        return config.getOptional(DELIVERY_GUARANTEE_TEXT)
                .map(raw -> parseGuarantee(DELIVERY_GUARANTEE.key(), raw))
                .orElse(DELIVERY_GUARANTEE.defaultValue());
    }

    /**
     * The guarantee of one output ({@link #FORECASTS_DELIVERY}, …): its own value, else its
     * default, else {@link #deliveryGuarantee}; spelt as there.
     */
    public static DeliveryGuarantee deliveryGuarantee(
            Configuration config, ConfigOption<String> output) {
        return config.getOptional(output)
                .or(
                        () ->
                                output.hasDefaultValue()
                                        ? Optional.of(output.defaultValue())
                                        : Optional.empty())
                .map(raw -> parseGuarantee(output.key(), raw))
                .orElseGet(() -> deliveryGuarantee(config));
    }

    private static DeliveryGuarantee parseGuarantee(String key, String raw) {
        String name = raw.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        if (name.equals(DeliveryGuarantee.EXACTLY_ONCE.name())) {
            return DeliveryGuarantee.EXACTLY_ONCE;
        }
        if (name.equals(DeliveryGuarantee.AT_LEAST_ONCE.name())) {
            return DeliveryGuarantee.AT_LEAST_ONCE;
        }
        throw new IllegalArgumentException(
                key + " must be EXACTLY_ONCE or AT_LEAST_ONCE, got '" + raw + "'");
    }

    /** The pass-through client properties, prefix removed. */
    public static Properties clientProperties(Configuration config) {
        Properties props = new Properties();
        for (Map.Entry<String, String> e : config.toMap().entrySet()) {
            if (e.getKey().startsWith(CLIENT_PREFIX)) {
                props.setProperty(e.getKey().substring(CLIENT_PREFIX.length()), e.getValue());
            }
        }
        return props;
    }

    /**
     * {@link #clientProperties} with {@code bootstrap.servers}: what a client of ours connects
     * with.
     */
    public static Properties connection(Configuration config) {
        Properties props = clientProperties(config);
        props.setProperty("bootstrap.servers", config.get(BOOTSTRAP_SERVERS));
        return props;
    }
}
