package io.sensorcast.pipeline.scoring;

import io.sensorcast.connectors.format.Published;
import io.sensorcast.connectors.format.ScoreRecord;
import io.sensorcast.model.interval.IntervalLevels;
import io.sensorcast.model.interval.OnlineIntervals;
import io.sensorcast.pipeline.operators.WindowForecast;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per sensor, meets each one-step-ahead forecast with the reading it predicted and scores it with
 * the target's {@link AnomalyDetector}, one {@link ScoreRecord} per target: {@link SensorScorer} on
 * keyed state, with an idle timer per sensor.
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

    private final SensorScorer scorer;
    private final long idleTimeoutMillis;

    private transient ValueState<SensorScoring> state;
    private transient ScoringMetrics counts;

    /**
     * @param groupThresholds thresholds of model groups that do not use the default one
     * @param idleTimeoutMillis event-time silence after which a sensor's scoring state (its
     *     detectors, about 11 KB per target) is dropped, as the sequence operator drops its ring
     * @param levels the coverage levels of the forecasts' intervals; none for no intervals
     * @param intervalRate how fast the intervals' quantile trackers move ({@link OnlineIntervals})
     */
    public ForecastScorer(
            DetectorSettings settings,
            Map<String, Double> groupThresholds,
            long idleTimeoutMillis,
            IntervalLevels levels,
            double intervalRate) {
        if (idleTimeoutMillis <= 0) {
            throw new IllegalArgumentException(
                    "idle timeout must be > 0 ms, got " + idleTimeoutMillis);
        }
        this.scorer = new SensorScorer(settings, groupThresholds, levels, intervalRate);
        this.idleTimeoutMillis = idleTimeoutMillis;
    }

    @Override
    public void open(OpenContext openContext) {
        state =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "scoring", TypeInformation.of(SensorScoring.class)));
        counts = new ScoringMetrics(getRuntimeContext().getMetricGroup().addGroup("sensorcast"));
    }

    @Override
    public void processElement(WindowForecast next, Context ctx, Collector<Published> out)
            throws Exception {
        if (next.late != null) {
            out.collect(Published.late(next.late));
            return;
        }
        SensorScoring s = state.value();
        long deadline = next.origin + idleTimeoutMillis;
        if (s == null) {
            s = new SensorScoring();
            s.deadline = deadline;
            ctx.timerService().registerEventTimeTimer(deadline);
        } else {
            s.deadline = Math.max(s.deadline, deadline);
        }
        scorer.process(s, next, ctx.timerService().currentProcessingTime(), counts, out::collect);
        state.update(s);
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
