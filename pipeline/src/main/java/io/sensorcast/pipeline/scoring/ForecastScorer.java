package io.sensorcast.pipeline.scoring;

import io.sensorcast.connectors.format.ForecastRecord;
import io.sensorcast.connectors.format.IsoInstants;
import io.sensorcast.connectors.format.ScoreRecord;
import io.sensorcast.pipeline.operators.IdleTimeout;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per sensor, meets each one-step-ahead forecast with the reading it predicted and scores it with
 * the target's {@link AnomalyDetector}, one {@link ScoreRecord} per target.
 *
 * <p>A forecast made at origin {@code t_k} predicts the sensor's next reading, whatever its exact
 * timestamp, so the two meet on the origin: a window whose newest reading is {@code t_{k+1}}
 * carries {@code t_k} as its previous step. Either side may arrive first (forecasts pass through
 * the micro-batcher), and both arrive in event-time order per sensor, so pairs complete in order
 * and the likelihood state evolves deterministically. An entry that can no longer be met (a
 * forecast whose next reading never came, the first window of a sensor) is dropped as soon as a
 * later one arrives, which keeps the state at a few entries per sensor.
 */
public final class ForecastScorer
        extends KeyedCoProcessFunction<String, ForecastRecord, Actual, ScoreRecord> {

    private static final long serialVersionUID = 1L;

    private final DetectorSettings settings;
    private final Map<String, DetectorSettings> byGroup;
    private final long idleTimeoutMillis;

    private transient MapState<Long, ForecastRecord> forecasts; // by origin
    private transient MapState<Long, Actual> actuals; // by previous step's time
    private transient MapState<String, AnomalyDetector> detectors; // by target
    private transient ValueState<Long> cleanupAt;
    private transient Counter scored;
    private transient Counter anomalies;
    private transient org.apache.flink.metrics.MetricGroup metrics;
    private transient java.util.Map<String, Counter> anomaliesByGroup;

    /**
     * Model groups given an anomalies counter of their own (label {@code group}); the rest share
     * {@code group="_other"}: a fleet with one group per sensor must not make one metric series per
     * sensor.
     */
    static final int MAX_GROUP_COUNTERS = 256;

    public ForecastScorer(DetectorSettings settings) {
        this(settings, Map.of(), DEFAULT_IDLE_TIMEOUT_MILLIS);
    }

    private static final long DEFAULT_IDLE_TIMEOUT_MILLIS = 7 * 86_400_000L;

    /**
     * @param groupThresholds thresholds of model groups that do not use the default one
     * @param idleTimeoutMillis event-time silence after which a sensor's scoring state (its
     *     detectors, about 11 KB per target) is dropped, as the sequence operator drops its ring
     */
    public ForecastScorer(
            DetectorSettings settings,
            Map<String, Double> groupThresholds,
            long idleTimeoutMillis) {
        if (idleTimeoutMillis <= 0) {
            throw new IllegalArgumentException(
                    "idle timeout must be > 0 ms, got " + idleTimeoutMillis);
        }
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.settings = settings;
        this.byGroup = new HashMap<>();
        groupThresholds.forEach((g, t) -> byGroup.put(g, settings.withThreshold(t)));
    }

    private Counter groupCounter(String group) {
        Counter c = anomaliesByGroup.get(group == null ? OTHER : group);
        if (c == null) {
            String label =
                    group != null && anomaliesByGroup.size() < MAX_GROUP_COUNTERS ? group : OTHER;
            c =
                    anomaliesByGroup.computeIfAbsent(
                            label, g -> metrics.addGroup("group", g).counter("anomalies"));
        }
        return c;
    }

    private static final String OTHER = "_other";

    @Override
    public void open(OpenContext openContext) {
        forecasts =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "forecasts",
                                        Types.LONG,
                                        TypeInformation.of(ForecastRecord.class)));
        actuals =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "actuals", Types.LONG, TypeInformation.of(Actual.class)));
        detectors =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "detectors",
                                        Types.STRING,
                                        TypeInformation.of(AnomalyDetector.class)));
        cleanupAt =
                getRuntimeContext().getState(new ValueStateDescriptor<>("cleanup-at", Types.LONG));
        metrics = getRuntimeContext().getMetricGroup().addGroup("sensorcast");
        scored = metrics.counter("readingsScored");
        anomalies = metrics.counter("anomalies");
        anomaliesByGroup = new java.util.HashMap<>();
    }

    @Override
    public void processElement1(ForecastRecord forecast, Context ctx, Collector<ScoreRecord> out)
            throws Exception {
        long origin = IsoInstants.parse(forecast.originTs());
        dropBefore(actuals, origin);
        Actual actual = actuals.get(origin);
        if (actual != null) {
            actuals.remove(origin);
            score(forecast, actual, ctx, out);
        } else {
            forecasts.put(origin, forecast);
        }
    }

    @Override
    public void processElement2(Actual actual, Context ctx, Collector<ScoreRecord> out)
            throws Exception {
        IdleTimeout.extendDeadline(
                cleanupAt, ctx.timerService(), actual.timestamp, idleTimeoutMillis);
        if (actual.previous == Long.MIN_VALUE) {
            return; // a sensor's first reading settles no forecast
        }
        long previous = actual.previous;
        dropBefore(forecasts, previous);
        ForecastRecord forecast = forecasts.get(previous);
        if (forecast != null) {
            forecasts.remove(previous);
            score(forecast, actual, ctx, out);
        } else {
            actuals.put(previous, actual);
        }
    }

    private void score(
            ForecastRecord forecast, Actual actual, Context ctx, Collector<ScoreRecord> out)
            throws Exception {
        Map<String, Double> predicted = forecast.steps().get(0).predicted();
        DetectorSettings settings = byGroup.getOrDefault(forecast.modelGroup(), this.settings);
        long now = ctx.timerService().currentProcessingTime();
        for (int f = 0; f < actual.names.length; f++) {
            String target = actual.names[f];
            Double p = predicted.get(target);
            if (p == null) {
                continue; // a covariate, not forecast
            }
            AnomalyDetector detector = detectors.get(target);
            if (detector == null) {
                detector = new AnomalyDetector(settings);
            }
            double value = actual.values[f];
            double residual = value - p;
            AnomalyDetector.Scores scores = detector.update(actual.timestamp, value, p, settings);
            detectors.put(target, detector);
            double score = scores.score();
            double alert = scores.alert();
            boolean flagged = alert >= settings.threshold();
            scored.inc();
            if (flagged) {
                anomalies.inc();
                groupCounter(forecast.modelGroup()).inc();
            }
            out.collect(
                    new ScoreRecord(
                            actual.sensor,
                            forecast.originTs(),
                            IsoInstants.format(actual.timestamp),
                            target,
                            p,
                            value,
                            residual,
                            score,
                            alert,
                            settings.threshold(),
                            flagged,
                            forecast.modelGroup(),
                            forecast.modelVersion(),
                            Math.max(0, now - actual.ingestMillis)));
        }
    }

    /** A sensor silent for the idle timeout loses its scoring state. */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ScoreRecord> out)
            throws Exception {
        if (IdleTimeout.expiredOrRearmed(cleanupAt, ctx.timerService(), timestamp)) {
            forecasts.clear();
            actuals.clear();
            detectors.clear();
            cleanupAt.clear();
        }
    }

    private static <V> void dropBefore(MapState<Long, V> state, long time) throws Exception {
        Iterator<Long> keys = state.keys().iterator();
        while (keys.hasNext()) {
            if (keys.next() < time) {
                keys.remove();
            }
        }
    }
}
