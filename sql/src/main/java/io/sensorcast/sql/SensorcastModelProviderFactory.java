package io.sensorcast.sql;

import io.sensorcast.model.ForecastModel;
import io.sensorcast.model.artifact.ModelRequirements;
import io.sensorcast.model.dataset.SeasonalChannels;
import io.sensorcast.model.manifest.ModelManifest;
import io.sensorcast.pipeline.job.ForecastSettings;
import io.sensorcast.pipeline.operators.ModelRegistry;
import io.sensorcast.pipeline.store.ModelStore;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.factories.ModelProviderFactory;
import org.apache.flink.table.functions.PredictFunction;
import org.apache.flink.table.ml.ModelProvider;
import org.apache.flink.table.ml.PredictRuntimeProvider;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

/**
 * {@code CREATE MODEL m INPUT (w ARRAY<FLOAT>) OUTPUT (forecast ARRAY<FLOAT>) WITH ('provider' =
 * 'sensorcast', 'store' = '...', 'group' = '...', 'version' = 'latest')}: a model of the store for
 * {@code ML_PREDICT(TABLE windows, MODEL m, DESCRIPTOR(w))}, for users who build their own windows.
 * The input is a window of one reading column, oldest first, at least the model's window long; the
 * output its forecast, one value per horizon step.
 *
 * <p>Everything is checked when the statement is planned: the options, the schemas, and the model
 * itself, loaded as ForecastJob loads one (artifact verification, the serving engine's parity
 * check, the job's limits). {@code 'version' = 'latest'} is resolved then, so a query serves the
 * version it was planned with.
 */
public final class SensorcastModelProviderFactory implements ModelProviderFactory {

    public static final String IDENTIFIER = "sensorcast";

    static final ConfigOption<String> STORE =
            ConfigOptions.key("store").stringType().noDefaultValue();
    static final ConfigOption<String> GROUP =
            ConfigOptions.key("group").stringType().noDefaultValue();
    static final ConfigOption<String> VERSION =
            ConfigOptions.key("version").stringType().defaultValue("latest");
    static final ConfigOption<String> OPTIONS =
            ConfigOptions.key("options").stringType().noDefaultValue();

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(STORE, GROUP);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of(VERSION, OPTIONS);
    }

    @Override
    public ModelProvider createModelProvider(Context context) {
        Map<String, String> options = context.getCatalogModel().getOptions();
        String model = context.getObjectIdentifier().asSummaryString();
        try {
            Set<String> known = new LinkedHashSet<>(List.of("provider", "task"));
            for (ConfigOption<?> o : Set.of(STORE, GROUP, VERSION, OPTIONS)) {
                known.add(o.key());
            }
            for (String key : options.keySet()) {
                if (!known.contains(key)) {
                    throw new IllegalArgumentException(
                            "unknown option '" + key + "'; the options are " + known);
                }
            }
            for (ConfigOption<?> o : requiredOptions()) {
                if (options.get(o.key()) == null || options.get(o.key()).isBlank()) {
                    throw new IllegalArgumentException("option '" + o.key() + "' is required");
                }
            }
            DetectOptions parsed =
                    DetectOptions.parse(options.get(STORE.key()), null, options.get(OPTIONS.key()));
            parsed.checkStoreReachable();
            ForecastSettings settings = parsed.settings();
            String location =
                    location(
                            settings.store(),
                            options.get(GROUP.key()),
                            options.getOrDefault(VERSION.key(), VERSION.defaultValue()));
            boolean floatIn =
                    arrayColumn(context.getCatalogModel().getResolvedInputSchema(), "INPUT");
            boolean floatOut =
                    arrayColumn(context.getCatalogModel().getResolvedOutputSchema(), "OUTPUT");
            ModelRegistry.Settings serving = settings.registry();
            try (ForecastModel loaded = load(location, settings.history(), serving)) {
                ModelManifest m = loaded.manifest();
                List<String> columns = SeasonalChannels.readingColumns(m.features());
                if (columns.size() != 1
                        || columns.size() != m.features().size()
                        || m.targets().size() != 1) {
                    throw new IllegalArgumentException(
                            "version "
                                    + location
                                    + " reads "
                                    + m.features()
                                    + " and forecasts "
                                    + m.targets()
                                    + "; ML_PREDICT serves models of one reading column without"
                                    + " seasonal channels (SENSORCAST_DETECT serves the others)");
                }
                SensorcastPredictFunction function =
                        new SensorcastPredictFunction(
                                location,
                                settings.history(),
                                serving,
                                columns.get(0),
                                m.window(),
                                floatIn,
                                floatOut);
                return new Provider(function);
            }
        } catch (IllegalArgumentException e) {
            throw new ValidationException("model " + model + ": " + e.getMessage(), e);
        }
    }

    /** The location of {@code version} ('latest' or a number) of {@code group}. */
    private static String location(ModelStore store, String group, String version) {
        try {
            ModelStore.Listing listing = store.list(group);
            if ("latest".equalsIgnoreCase(version.strip())) {
                ModelStore.Version newest = listing.newest();
                if (newest == null) {
                    throw new IllegalArgumentException(
                            "group '" + group + "' has no valid version in " + store.root());
                }
                return newest.location();
            }
            long v;
            try {
                v = Long.parseLong(version.strip());
            } catch (NumberFormatException e) {
                v = 0;
            }
            if (v < 1) {
                throw new IllegalArgumentException(
                        "option 'version' must be 'latest' or a version >= 1, got '"
                                + version
                                + "'");
            }
            for (ModelStore.Version candidate : listing.valid()) {
                if (candidate.version() == v) {
                    return candidate.location();
                }
            }
            String corrupt = listing.corrupt().get(v);
            throw new IllegalArgumentException(
                    corrupt != null
                            ? "version " + v + " of group '" + group + "' is refused: " + corrupt
                            : "group '" + group + "' has no version " + v + " in " + store.root());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(
                    "cannot list group '" + group + "' in " + store.root() + ": " + e.getMessage(),
                    e);
        }
    }

    /** Loads {@code location} as the job's model registry does; refusals as IllegalArgument. */
    static ForecastModel load(String location, int maxWindow, ModelRegistry.Settings serving) {
        try {
            return ModelStore.load(
                    location,
                    ModelRequirements.servable(maxWindow, null),
                    serving.limits(),
                    serving.engine());
        } catch (java.io.IOException | io.sensorcast.model.manifest.InvalidModelException e) {
            throw new IllegalArgumentException(
                    "model " + location + " is refused: " + e.getMessage(), e);
        }
    }

    /** Whether the schema's one column is ARRAY<FLOAT> (true) or ARRAY<DOUBLE> (false). */
    private static boolean arrayColumn(ResolvedSchema schema, String clause) {
        List<Column> columns = schema.getColumns();
        LogicalType type =
                columns.size() == 1 ? columns.get(0).getDataType().getLogicalType() : null;
        if (type instanceof ArrayType array) {
            LogicalTypeRoot element = array.getElementType().getTypeRoot();
            if (element == LogicalTypeRoot.FLOAT || element == LogicalTypeRoot.DOUBLE) {
                return element == LogicalTypeRoot.FLOAT;
            }
        }
        throw new IllegalArgumentException(
                clause
                        + " must be one column of ARRAY<FLOAT> or ARRAY<DOUBLE>, got "
                        + schema.getColumns());
    }

    /** Hands the planner the predict function made at planning. */
    private record Provider(SensorcastPredictFunction function) implements PredictRuntimeProvider {
        @Override
        public PredictFunction createPredictFunction(Context context) {
            return function;
        }

        @Override
        public ModelProvider copy() {
            return new Provider(function);
        }
    }
}
