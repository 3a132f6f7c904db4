package io.sensorcast.sql;

import io.sensorcast.pipeline.job.ForecastOptions;
import io.sensorcast.pipeline.job.ForecastSettings;
import io.sensorcast.pipeline.job.JobConfiguration;
import io.sensorcast.pipeline.operators.ReadingOrder;
import io.sensorcast.pipeline.store.ModelStoreOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.TimeUtils;

/**
 * The scalar arguments of {@link SensorcastDetect}, read into ForecastJob's settings: {@code store}
 * is {@code sensorcast.models.root}, {@code model_groups} is {@code sensorcast.models.groups}, and
 * {@code options} carries any other of the job's {@code sensorcast.forecast.*}, {@code
 * sensorcast.scoring.*} and {@code sensorcast.models.*} keys as {@code key=value} entries, one per
 * line or separated by {@code ;}. The same keys, defaults and checks as the job: a bad value fails
 * naming its key and the allowed range.
 */
final class DetectOptions {

    /** How often the function looks in the model store for newer versions of its groups. */
    static final ConfigOption<Duration> MODEL_POLL_INTERVAL =
            ConfigOptions.key("sensorcast.sql.model-poll-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "How often SENSORCAST_DETECT lists the model store for newer versions"
                                    + " of the groups it serves; a new version serves from the"
                                    + " next row after it has loaded.");

    final Duration modelPoll;
    private final ForecastSettings settings;

    private DetectOptions(ForecastSettings settings, Duration modelPoll) {
        this.settings = settings;
        this.modelPoll = modelPoll;
    }

    /**
     * Parses and checks the arguments (any may be null); an IllegalArgumentException names the key
     * or argument at fault.
     */
    static DetectOptions parse(String store, String modelGroups, String options) {
        Map<String, String> entries = new LinkedHashMap<>();
        if (options != null) {
            for (String entry : options.split("[;\\n]")) {
                if (entry.isBlank()) {
                    continue;
                }
                int eq = entry.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException(
                            "options: expected key=value entries separated by ';' or new lines,"
                                    + " got '"
                                    + entry.strip()
                                    + "'");
                }
                String key = entry.substring(0, eq).strip();
                if (!key.startsWith("sensorcast.")) {
                    throw new IllegalArgumentException(
                            "options: unknown option "
                                    + key
                                    + "; the options are sensorcast.* keys of the forecasting"
                                    + " job (docs/configuration.md)");
                }
                entries.put(key, entry.substring(eq + 1).strip());
            }
        }
        if (store != null) {
            entries.put(ModelStoreOptions.ROOT.key(), store);
        }
        if (modelGroups != null) {
            entries.put(ForecastOptions.GROUPS.key(), modelGroups);
        }
        Duration poll = MODEL_POLL_INTERVAL.defaultValue();
        String pollText = entries.remove(MODEL_POLL_INTERVAL.key());
        if (pollText != null) {
            try {
                poll = TimeUtils.parseDuration(pollText);
            } catch (IllegalArgumentException e) {
                poll = Duration.ZERO;
            }
            if (poll.toMillis() < 100 || poll.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException(
                        MODEL_POLL_INTERVAL.key()
                                + " must be a duration in [100 ms, 1 d], got '"
                                + pollText
                                + "'");
            }
        }
        Configuration config = Configuration.fromMap(entries);
        JobConfiguration.checkKeys(config);
        ForecastSettings settings = ForecastSettings.of(config);
        if (settings.order() != ReadingOrder.ARRIVAL) {
            throw new IllegalArgumentException(
                    ForecastOptions.READING_ORDER.key()
                            + ": SENSORCAST_DETECT forecasts each reading on arrival; only ARRIVAL"
                            + " is allowed, got "
                            + settings.order());
        }
        return new DetectOptions(settings, poll);
    }

    /** The job's settings of these options, read and checked once by {@link #parse}. */
    ForecastSettings settings() {
        return settings;
    }

    /** Fails when the store's file system cannot be reached (a missing directory is no model). */
    void checkStoreReachable() {
        try {
            settings.store().groups();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "store: cannot reach the model store "
                            + settings.store().root()
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }
}
