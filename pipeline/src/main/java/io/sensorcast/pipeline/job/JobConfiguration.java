package io.sensorcast.pipeline.job;

import io.sensorcast.connectors.kafka.KafkaOptions;
import io.sensorcast.pipeline.config.SharedOptions;
import io.sensorcast.pipeline.retrain.RetrainOptions;
import io.sensorcast.pipeline.store.ModelStoreOptions;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A job's configuration as a Flink shop expects it: the {@code sensorcast.*} keys of the cluster's
 * configuration ({@code config.yaml}, a FlinkDeployment's {@code flinkConfiguration}, {@code -D} on
 * submit), then the job's {@code --key value} arguments over them; an unknown {@code sensorcast.*}
 * key fails at once, naming it and the nearest known one, instead of being ignored.
 */
public final class JobConfiguration {

    /** Keys under these prefixes are not options of ours to check. */
    private static final List<String> OPEN_PREFIXES =
            List.of(KafkaOptions.CLIENT_PREFIX, "sensorcast.djl.");

    /** Every class declaring {@code sensorcast.*} options: the keys a job knows. */
    public static final List<Class<?>> OPTION_CLASSES =
            List.of(
                    KafkaOptions.class,
                    ForecastOptions.class,
                    SharedOptions.class,
                    ModelStoreOptions.class,
                    RetrainOptions.class);

    private static final Set<String> KNOWN = keysOf(OPTION_CLASSES);

    /** The keys an option had before its rename: still read, never suggested. */
    private static final Set<String> DEPRECATED = deprecatedKeysOf(OPTION_CLASSES);

    /**
     * Keys that counted readings and are now durations under another name: refused, naming the new
     * key, as a count read as a duration would be milliseconds.
     */
    private static final Map<String, String> REPLACED =
            Map.of(
                    "sensorcast.scoring.long-window",
                    ForecastOptions.SCORE_ERROR_HISTORY.key(),
                    "sensorcast.scoring.reestimate-every",
                    ForecastOptions.SCORE_REESTIMATE_INTERVAL.key(),
                    "sensorcast.scoring.refractory",
                    ForecastOptions.SCORE_REFRACTORY.key());

    private JobConfiguration() {}

    /**
     * Refuses Kryo in {@code env} unless {@code pipeline.generic-types} is set: every record and
     * every state of the jobs has a serializer of its own, and a type that would fall back to Kryo
     * (slow, large, and unable to evolve with the class) fails the job's build instead of passing
     * unseen.
     */
    public static void withoutKryo(StreamExecutionEnvironment env) {
        if (env.getConfiguration().getOptional(PipelineOptions.GENERIC_TYPES).isEmpty()) {
            Configuration off = new Configuration();
            off.set(PipelineOptions.GENERIC_TYPES, false);
            env.configure(off);
        }
    }

    /** The cluster's {@code sensorcast.*} keys, then {@code args} over them, checked. */
    public static Configuration of(ReadableConfig cluster, String[] args) {
        Configuration config = new Configuration();
        if (cluster instanceof Configuration c) {
            c.toMap().forEach(config::setString);
        }
        parseArgs(args).toMap().forEach(config::setString);
        checkKeys(config);
        return config;
    }

    /** {@code --key value} pairs as a configuration; anything else is an error. */
    public static Configuration parseArgs(String[] args) {
        Configuration config = new Configuration();
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("expected --key value pairs, got an odd count");
        }
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException(
                        "expected --key value pairs, got '" + args[i] + "'");
            }
            config.setString(args[i].substring(2), args[i + 1]);
        }
        return config;
    }

    /** The inverse of {@link #parseArgs}: {@code --key value} pairs, in the map's order. */
    public static List<String> render(Map<String, String> options) {
        List<String> args = new ArrayList<>();
        options.forEach(
                (k, v) -> {
                    args.add("--" + k);
                    args.add(v);
                });
        return args;
    }

    /** Fails on a {@code sensorcast.*} key no option declares (a typo would be ignored). */
    public static void checkKeys(Configuration config) {
        for (String key : new TreeSet<>(config.keySet())) {
            if (!key.startsWith("sensorcast.")
                    || KNOWN.contains(key)
                    || DEPRECATED.contains(key)
                    || OPEN_PREFIXES.stream().anyMatch(key::startsWith)) {
                continue;
            }
            if (REPLACED.containsKey(key)) {
                throw new IllegalArgumentException(
                        key
                                + " counted readings and is gone: the detector's time constants are"
                                + " durations now, the same at any sampling interval; set "
                                + REPLACED.get(key)
                                + " instead (e.g. 2d, 50h, 500min)");
            }
            throw new IllegalArgumentException(
                    "unknown option "
                            + key
                            + " (did you mean "
                            + nearest(key)
                            + "?); the options are listed in docs/configuration.md");
        }
    }

    /** Every declared option key of the jobs (tests, documentation). */
    public static Set<String> knownKeys() {
        return KNOWN;
    }

    private static Set<String> keysOf(List<Class<?>> classes) {
        Set<String> keys = new TreeSet<>();
        for (Class<?> c : classes) {
            optionsOf(c).forEach(o -> keys.add(o.key()));
        }
        return keys;
    }

    private static Set<String> deprecatedKeysOf(List<Class<?>> classes) {
        Set<String> keys = new TreeSet<>();
        for (Class<?> c : classes) {
            for (ConfigOption<?> o : optionsOf(c)) {
                o.fallbackKeys().forEach(k -> keys.add(k.getKey()));
            }
        }
        return keys;
    }

    /** The public static {@code ConfigOption} fields of a class, in declaration order. */
    public static List<ConfigOption<?>> optionsOf(Class<?> type) {
        List<ConfigOption<?>> options = new ArrayList<>();
        for (Field f : type.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == ConfigOption.class) {
                try {
                    options.add((ConfigOption<?>) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return options;
    }

    private static String nearest(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : KNOWN) {
            int d = distance(key, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
