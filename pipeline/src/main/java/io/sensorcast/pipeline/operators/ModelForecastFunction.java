package io.sensorcast.pipeline.operators;

import io.sensorcast.connectors.format.ForecastRecord;
import io.sensorcast.connectors.format.IsoInstants;
import io.sensorcast.connectors.format.ModelUpdate;
import io.sensorcast.model.ForecastModel;
import io.sensorcast.model.engine.DjlRuntime;
import io.sensorcast.model.engine.EngineSettings;
import io.sensorcast.model.manifest.ModelManifest;
import io.sensorcast.model.serving.OrtNetwork;
import io.sensorcast.pipeline.store.ModelStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forecasts a batch of windows with one forward pass per model group, and follows the model-updates
 * stream (JSON {@link ModelUpdate}s) to swap models while running.
 *
 * <p>A window whose group has no model yet, or that the model cannot read (fewer steps than its
 * window, a missing feature), gets the persistence forecast instead — every value stays at its
 * latest reading — with model version {@value #PERSISTENCE_VERSION} (counted in {@code
 * baselineForecasts}): so every reading is scored from a sensor's first window on, not only once a
 * model exists; so does a window whose model forecast is NaN or infinite (counted in {@code
 * nonFiniteForecasts}). A model reads the newest {@code window} steps of a longer sequence. The
 * models in service are operator state, so a restored job serves the versions it served before the
 * failure (see {@link ModelRegistry} for loading and rejection rules).
 *
 * <p>Metrics (group {@code sensorcast}): {@code forecasts}, {@code baselineForecasts}, {@code
 * modelsRejected}, {@code modelsServed} counters; {@code inferenceMillis} (one forward pass) and
 * {@code readingToForecastMillis} (a reading's arrival in the sequence function to its forecast)
 * histograms; per group {@code model.<group>.version} gauges.
 */
public final class ModelForecastFunction
        implements BatchFunction<SensorWindow, String, WindowForecast>, CheckpointedFunction {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ModelForecastFunction.class);

    /** The model version of a persistence forecast: no model made it. */
    public static final long PERSISTENCE_VERSION = 0;

    private final ModelStore store;
    private final GroupMapping groups;
    private final int maxWindow;
    private final int intraOpThreads;
    private final ModelRegistry.Settings registrySettings;
    private final int latencySamples;

    private transient ModelRegistry registry;
    private transient ListState<String> servedState;
    private transient List<ModelUpdate> restored;
    private transient Counter forecasts;
    private transient Counter baseline;
    private transient Counter nonFinite;
    private transient Counter rejected;
    private transient Counter servedCount;
    private transient Counter retries;
    private transient Histogram inferenceMillis;
    private transient Histogram readingToForecastMillis;
    private transient Map<String, Long> versions;
    private transient MetricGroup metrics;

    /**
     * @param maxWindow readings the job keeps per sensor; models needing more are refused
     * @param intraOpThreads libtorch threads per call; 1 scales best with parallelism = cores
     * @param registrySettings how model loads are retried and unused groups released
     * @param latencySamples the newest forecasts whose latency the {@code readingToForecastMillis}
     *     histogram keeps
     */
    public ModelForecastFunction(
            ModelStore store,
            GroupMapping groups,
            int maxWindow,
            int intraOpThreads,
            ModelRegistry.Settings registrySettings,
            int latencySamples) {
        this.store = store;
        this.groups = groups;
        this.maxWindow = maxWindow;
        this.intraOpThreads = intraOpThreads;
        this.registrySettings = registrySettings;
        this.latencySamples = latencySamples;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        // Every subtask sees every update, so each restores the union of what all served.
        servedState =
                context.getOperatorStateStore()
                        .getUnionListState(
                                new ListStateDescriptor<>("served-models", String.class));
        restored = new ArrayList<>();
        if (context.isRestored()) {
            for (String json : servedState.get()) {
                restored.add(ModelUpdate.parse(json.getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        List<String> sources = new ArrayList<>();
        for (ModelUpdate u : registry.sources()) {
            sources.add(new String(u.toJson(), StandardCharsets.UTF_8));
        }
        servedState.update(sources);
    }

    @Override
    public void open(MetricGroup metrics) {
        DjlRuntime.engine(EngineSettings.defaults().withIntraOpThreads(intraOpThreads));
        OrtNetwork.batchInvariant(); // a bad value fails the task here, not every model load
        this.metrics = metrics;
        forecasts = metrics.counter("forecasts");
        baseline = metrics.counter("baselineForecasts");
        nonFinite = metrics.counter("nonFiniteForecasts");
        rejected = metrics.counter("modelsRejected");
        servedCount = metrics.counter("modelsServed");
        retries = metrics.counter("modelLoadRetries");
        inferenceMillis =
                metrics.histogram("inferenceMillis", new DescriptiveStatisticsHistogram(1000));
        readingToForecastMillis =
                metrics.histogram(
                        "readingToForecastMillis",
                        new DescriptiveStatisticsHistogram(latencySamples));
        versions = new ConcurrentHashMap<>();
        registry =
                new ModelRegistry(
                        store,
                        maxWindow,
                        new ModelRegistry.Listener() {
                            @Override
                            public void served(String group, long version) {
                                servedCount.inc();
                                if (versions.put(group, version) == null) {
                                    metrics.addGroup("model", group)
                                            .gauge("version", () -> versions.get(group));
                                }
                            }

                            @Override
                            public void rejected(ModelUpdate update, String reason) {
                                rejected.inc();
                            }

                            @Override
                            public void retrying(
                                    ModelUpdate update, String reason, Duration delay) {
                                retries.inc();
                            }
                        },
                        registrySettings,
                        System::currentTimeMillis);
        if (restored != null) {
            registry.restore(restored);
            restored = null;
        }
    }

    /** The model group that serves {@code sensor}. */
    public String groupOf(String sensor) {
        return groups.groupOf(sensor);
    }

    @Override
    public void control(String message) {
        ModelUpdate update;
        try {
            update = ModelUpdate.parse(message.getBytes(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            LOG.warn(
                    "Ignoring a model update that does not parse: {} ({})",
                    message,
                    e.getMessage());
            rejected.inc();
            return;
        }
        registry.request(update);
    }

    @Override
    public void tick() {
        registry.applyLoaded();
    }

    @Override
    public List<WindowForecast> apply(List<SensorWindow> batch) {
        registry.applyLoaded();
        Map<String, List<SensorWindow>> byGroup = new LinkedHashMap<>();
        for (SensorWindow w : batch) {
            byGroup.computeIfAbsent(groups.groupOf(w.sensor), g -> new ArrayList<>()).add(w);
        }
        List<WindowForecast> out = new ArrayList<>(batch.size());
        long now = System.currentTimeMillis();
        for (Map.Entry<String, List<SensorWindow>> e : byGroup.entrySet()) {
            Optional<ModelRegistry.Served> served = registry.model(e.getKey());
            if (served.isEmpty()) {
                for (SensorWindow w : e.getValue()) {
                    out.add(persistence(e.getKey(), w, now));
                }
                continue;
            }
            forecast(e.getKey(), served.get(), e.getValue(), out);
        }
        forecasts.inc(out.size());
        return out;
    }

    private void forecast(
            String group,
            ModelRegistry.Served served,
            List<SensorWindow> windows,
            List<WindowForecast> out) {
        ForecastModel model = served.model();
        ModelManifest m = model.manifest();
        long start = System.nanoTime();
        float[][] predicted = model.forecast(windows);
        inferenceMillis.update((System.nanoTime() - start) / 1_000_000);
        // a forecast is made when its forward pass returns: its latency includes the pass
        long now = System.currentTimeMillis();
        int h = m.horizon();
        int t = m.targets().size();
        for (int i = 0; i < windows.size(); i++) {
            SensorWindow win = windows.get(i);
            if (predicted[i] == null) {
                out.add(persistence(group, win, now)); // a window the model cannot read
                continue;
            }
            if (!finite(predicted[i])) {
                // a NaN or infinity would poison the sensor's error history and is not JSON
                nonFinite.inc();
                out.add(persistence(group, win, now));
                continue;
            }
            List<ForecastRecord.Step> steps = new ArrayList<>(h);
            for (int s = 0; s < h; s++) {
                Map<String, Double> values = new LinkedHashMap<>();
                for (int k = 0; k < t; k++) {
                    values.put(m.targets().get(k), (double) predicted[i][s * t + k]);
                }
                steps.add(step(win, s, values));
            }
            out.add(record(group, win, steps, served.version(), now));
        }
    }

    private static boolean finite(float[] values) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** The persistence forecast of {@code win}: one step, every value at its latest reading. */
    private WindowForecast persistence(String group, SensorWindow win, long now) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (int f = 0; f < win.names.length; f++) {
            values.put(win.names[f], win.latest(f));
        }
        baseline.inc();
        return record(group, win, List.of(step(win, 0, values)), PERSISTENCE_VERSION, now);
    }

    /**
     * Horizon step {@code s} (0-based) of a forecast from {@code win}, at its sampling interval.
     */
    private static ForecastRecord.Step step(SensorWindow win, int s, Map<String, Double> values) {
        long interval =
                Math.max(1, (win.timestamp - win.timestamps[0]) / Math.max(1, win.steps() - 1));
        return new ForecastRecord.Step(
                IsoInstants.format(win.timestamp + (s + 1) * interval), values);
    }

    private WindowForecast record(
            String group,
            SensorWindow win,
            List<ForecastRecord.Step> steps,
            long version,
            long now) {
        long latency = Math.max(0, now - win.ingestMillis);
        readingToForecastMillis.update(latency);
        return WindowForecast.of(
                new ForecastRecord(
                        win.sensor,
                        IsoInstants.format(win.timestamp),
                        steps,
                        group,
                        version,
                        latency),
                win);
    }

    @Override
    public void close() {
        if (registry != null) {
            registry.close();
        }
    }
}
