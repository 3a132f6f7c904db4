package io.sensorcast.pipeline.scoring;

import io.sensorcast.connectors.format.ForecastRecord;
import io.sensorcast.connectors.format.Published;
import io.sensorcast.connectors.format.ScoreRecord;
import io.sensorcast.pipeline.operators.WindowForecast;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per sensor, meets each one-step-ahead forecast with the reading it predicted and scores it with
 * the target's {@link AnomalyDetector}, one {@link ScoreRecord} per target.
 *
 * <p>Chained behind the forecasting operator on the same keys (its input is reinterpreted as keyed
 * by sensor, no shuffle): every {@link WindowForecast} carries the newest reading of its window,
 * which settles the forecast the sensor's previous window made, when that window's origin is the
 * reading's previous step. A forecast made at origin {@code t_k} predicts the sensor's next
 * reading, whatever its exact timestamp. Forecasts arrive in event-time order per sensor, so pairs
 * complete in order and the detector state evolves deterministically; the state is the last
 * forecast and the detectors, one {@link SensorScoring} per sensor.
 *
 * <p>What it emits is everything the job publishes, for the one sink chained behind it: each
 * forecast as it arrives, then the scores it settles (a flagged one twice, as a score and as an
 * anomaly); a late reading passes through.
 */
public final class ForecastScorer extends KeyedProcessFunction<String, WindowForecast, Published> {

    private static final long serialVersionUID = 1L;

    private final DetectorSettings settings;
    private final Map<String, DetectorSettings> byGroup;
    private final long idleTimeoutMillis;

    private transient ValueState<SensorScoring> state;
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
        state =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "scoring", TypeInformation.of(SensorScoring.class)));
        metrics = getRuntimeContext().getMetricGroup().addGroup("sensorcast");
        scored = metrics.counter("readingsScored");
        anomalies = metrics.counter("anomalies");
        anomaliesByGroup = new java.util.HashMap<>();
    }

    @Override
    public void processElement(WindowForecast next, Context ctx, Collector<Published> out)
            throws Exception {
        if (next.late != null) {
            out.collect(Published.late(next.late));
            return;
        }
        out.collect(Published.forecast(next.forecast));
        SensorScoring s = state.value();
        long deadline = next.origin + idleTimeoutMillis;
        if (s == null) {
            s = new SensorScoring();
            s.deadline = deadline;
            ctx.timerService().registerEventTimeTimer(deadline);
        } else {
            s.deadline = Math.max(s.deadline, deadline);
        }
        if (s.last == null) {
            takeIn(s, next);
        } else if (s.last.origin == next.previous) {
            score(s, s.last.forecast, next, ctx, out);
        }
        s.last = next;
        state.update(s);
    }

    /**
     * A sensor's first reading settles no forecast, yet enters its targets' detectors unscored
     * (their range and last value start with it), as the ablation driver takes in a series' first
     * reading.
     */
    private void takeIn(SensorScoring s, WindowForecast first) {
        Map<String, Double> targets = first.forecast.steps().get(0).predicted();
        DetectorSettings settings =
                byGroup.getOrDefault(first.forecast.modelGroup(), this.settings);
        for (int f = 0; f < first.names.length; f++) {
            String target = first.names[f];
            if (targets.containsKey(target) && s.detector(target) == null) {
                AnomalyDetector detector = new AnomalyDetector(settings);
                detector.update(first.origin, first.latest[f], Double.NaN, settings);
                s.add(target, detector);
            }
        }
    }

    private void score(
            SensorScoring s,
            ForecastRecord forecast,
            WindowForecast actual,
            Context ctx,
            Collector<Published> out) {
        Map<String, Double> predicted = forecast.steps().get(0).predicted();
        DetectorSettings settings = byGroup.getOrDefault(forecast.modelGroup(), this.settings);
        long now = ctx.timerService().currentProcessingTime();
        for (int f = 0; f < actual.names.length; f++) {
            String target = actual.names[f];
            Double p = predicted.get(target);
            if (p == null) {
                continue; // a covariate, not forecast
            }
            AnomalyDetector detector = s.detector(target);
            if (detector == null) {
                detector = new AnomalyDetector(settings);
                s.add(target, detector);
            }
            double value = actual.latest[f];
            double residual = value - p;
            AnomalyDetector.Scores scores = detector.update(actual.origin, value, p, settings);
            double score = scores.score();
            double alert = scores.alert();
            boolean flagged = alert >= settings.threshold();
            scored.inc();
            if (flagged) {
                anomalies.inc();
                groupCounter(forecast.modelGroup()).inc();
            }
            ScoreRecord r =
                    new ScoreRecord(
                            forecast.sensor(),
                            forecast.originTs(),
                            actual.forecast.originTs(),
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
                            Math.max(0, now - actual.ingestMillis));
            out.collect(Published.score(r));
            if (flagged) {
                out.collect(Published.anomaly(r));
            }
        }
    }

    /** A sensor silent for the idle timeout loses its scoring state. */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Published> out)
            throws Exception {
        SensorScoring s = state.value();
        if (s == null) {
            return;
        }
        if (s.deadline <= timestamp) {
            state.clear();
        } else {
            ctx.timerService().registerEventTimeTimer(s.deadline); // a forecast since moved it
        }
    }
}
