package io.sensorcast.pipeline.scoring;

import io.sensorcast.connectors.format.ForecastRecord;
import io.sensorcast.connectors.format.ScoreRecord;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per sensor, meets each one-step-ahead forecast with the reading it predicted and scores the
 * residual with {@link ResidualLikelihood}, one {@link ScoreRecord} per target.
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

    private final double threshold;
    private final int longWindow;
    private final int shortWindow;
    private final int minSamples;

    private transient MapState<Long, ForecastRecord> forecasts; // by origin
    private transient MapState<Long, Actual> actuals; // by previous step's time
    private transient MapState<String, ResidualLikelihood> likelihoods; // by target
    private transient Counter scored;
    private transient Counter anomalies;

    /**
     * @param threshold score at or above which a reading is flagged, in (0, 1]
     */
    public ForecastScorer(double threshold, int longWindow, int shortWindow, int minSamples) {
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be in (0, 1], got " + threshold);
        }
        new ResidualLikelihood(longWindow, shortWindow, minSamples); // validates the windows
        this.threshold = threshold;
        this.longWindow = longWindow;
        this.shortWindow = shortWindow;
        this.minSamples = minSamples;
    }

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
        likelihoods =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "likelihoods",
                                        Types.STRING,
                                        TypeInformation.of(ResidualLikelihood.class)));
        var metrics = getRuntimeContext().getMetricGroup().addGroup("sensorcast");
        scored = metrics.counter("readingsScored");
        anomalies = metrics.counter("anomalies");
    }

    @Override
    public void processElement1(ForecastRecord forecast, Context ctx, Collector<ScoreRecord> out)
            throws Exception {
        long origin = Instant.parse(forecast.originTs()).toEpochMilli();
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
        long now = ctx.timerService().currentProcessingTime();
        for (int f = 0; f < actual.names.length; f++) {
            String target = actual.names[f];
            Double p = predicted.get(target);
            if (p == null) {
                continue; // a covariate, not forecast
            }
            ResidualLikelihood likelihood = likelihoods.get(target);
            if (likelihood == null) {
                likelihood = new ResidualLikelihood(longWindow, shortWindow, minSamples);
            }
            double value = actual.values[f];
            double residual = value - p;
            double score = likelihood.update(residual);
            double alert = likelihood.alert(score);
            likelihoods.put(target, likelihood);
            boolean flagged = alert >= threshold;
            scored.inc();
            if (flagged) {
                anomalies.inc();
            }
            out.collect(
                    new ScoreRecord(
                            actual.sensor,
                            forecast.originTs(),
                            Instant.ofEpochMilli(actual.timestamp).toString(),
                            target,
                            p,
                            value,
                            residual,
                            score,
                            alert,
                            threshold,
                            flagged,
                            forecast.modelGroup(),
                            forecast.modelVersion(),
                            Math.max(0, now - actual.ingestMillis)));
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
