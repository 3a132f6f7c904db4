package io.sensorcast.pipeline.scoring;

import io.sensorcast.connectors.format.ForecastRecord;
import io.sensorcast.connectors.format.Published;
import io.sensorcast.connectors.format.ScoreRecord;
import io.sensorcast.model.interval.IntervalLevels;
import io.sensorcast.model.interval.OnlineIntervals;
import io.sensorcast.pipeline.operators.WindowForecast;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Meets a sensor's forecasts with the readings they predicted and scores them: the per-sensor
 * scoring that {@link ForecastScorer} runs on keyed state in ForecastJob and the SQL function
 * {@code SENSORCAST_DETECT} runs on its own, one implementation for both. It keeps no state of its
 * own: every call takes the sensor's {@link SensorScoring} and changes it.
 *
 * <p>Each {@link WindowForecast} carries the newest reading of its window, which settles the
 * forecast the sensor's previous window made, when that window's origin is the reading's previous
 * step. Forecasts come in event-time order per sensor, so pairs complete in order and the detector
 * state evolves deterministically.
 */
public final class SensorScorer implements Serializable {

    private static final long serialVersionUID = 1L;

    /** What the scorer counts, for its caller's metrics. */
    public interface Counts {
        void scored();

        void anomaly(String group);
    }

    private final DetectorSettings settings;
    private final Map<String, DetectorSettings> byGroup;
    private final IntervalLevels levels;
    private final double intervalRate;

    /**
     * @param groupThresholds thresholds of model groups that do not use the default one
     * @param levels the coverage levels of the forecasts' intervals; none for no intervals
     * @param intervalRate how fast the intervals' quantile trackers move ({@link OnlineIntervals}),
     *     in (0, 1]
     */
    public SensorScorer(
            DetectorSettings settings,
            Map<String, Double> groupThresholds,
            IntervalLevels levels,
            double intervalRate) {
        if (!(intervalRate > 0 && intervalRate <= 1)) {
            throw new IllegalArgumentException(
                    "interval rate must be in (0, 1], got " + intervalRate);
        }
        this.levels = levels;
        this.intervalRate = intervalRate;
        this.settings = settings;
        this.byGroup = new HashMap<>();
        groupThresholds.forEach((g, t) -> byGroup.put(g, settings.withThreshold(t)));
    }

    /**
     * Takes {@code next} into the sensor's scoring {@code s}: emits its forecast (with intervals,
     * when the scorer gives them), then the scores of the reading it was made from (a flagged one
     * twice, as a score and as an anomaly). {@code now} is the wall clock, for the scores' latency.
     */
    public void process(
            SensorScoring s,
            WindowForecast next,
            long now,
            Counts counts,
            Consumer<Published> out) {
        boolean chained = s.last != null && s.last.origin == next.previous;
        // the bands the previous forecast gave this reading, before the new forecast's replace them
        double[] given = s.given == null ? new double[0] : s.given.clone();
        out.accept(
                Published.forecast(
                        levels.size() == 0 ? next.forecast : withIntervals(s, next, chained)));
        if (s.last == null) {
            takeIn(s, next);
        } else if (chained) {
            score(s, s.last.forecast, given, next, now, counts, out);
        }
        s.last = next;
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

    /**
     * {@code next}'s forecast with the intervals of each target's calibration: the reading it was
     * made from first settles the waiting forecasts (when it follows their reading), then the new
     * forecast waits in their place.
     */
    private ForecastRecord withIntervals(SensorScoring s, WindowForecast next, boolean chained) {
        List<ForecastRecord.Step> steps = next.forecast.steps();
        int h = steps.size();
        int n = levels.size();
        List<Map<String, Double>> lower = new ArrayList<>(h * n);
        List<Map<String, Double>> upper = new ArrayList<>(h * n);
        for (int i = 0; i < h * n; i++) {
            lower.add(new LinkedHashMap<>());
            upper.add(new LinkedHashMap<>());
        }
        double[] lo = new double[n];
        double[] hi = new double[n];
        float[] predicted = new float[h];
        for (int f = 0; f < next.names.length; f++) {
            String target = next.names[f];
            if (!steps.get(0).predicted().containsKey(target)) {
                continue; // a covariate
            }
            int t = s.band(target, h, levels);
            OnlineIntervals b = s.bands[t];
            if (chained) {
                b.observe(next.latest[f], levels, intervalRate);
            } else {
                b.breakChain();
            }
            for (int k = 0; k < h; k++) {
                Double p = steps.get(k).predicted().get(target);
                predicted[k] = p == null ? Float.NaN : p.floatValue();
            }
            b.push(predicted, levels);
            java.util.Arrays.fill(s.given, 2 * t * n, 2 * (t + 1) * n, Double.NaN);
            for (int k = 0; k < h; k++) {
                if (!b.ready(k) || Float.isNaN(predicted[k])) {
                    continue;
                }
                b.bounds(k, predicted[k], levels, lo, hi);
                for (int l = 0; l < n; l++) {
                    lower.get(k * n + l).put(target, lo[l]);
                    upper.get(k * n + l).put(target, hi[l]);
                    if (k == 0) {
                        s.given[2 * (t * n + l)] = lo[l];
                        s.given[2 * (t * n + l) + 1] = hi[l];
                    }
                }
            }
        }
        return banded(next.forecast, lower, upper);
    }

    /** {@code f} with each step's bands: per step and level, the bound of each target. */
    private ForecastRecord banded(
            ForecastRecord f, List<Map<String, Double>> lower, List<Map<String, Double>> upper) {
        int n = levels.size();
        List<ForecastRecord.Step> banded = new ArrayList<>(f.steps().size());
        for (int k = 0; k < f.steps().size(); k++) {
            List<ForecastRecord.Interval> intervals = new ArrayList<>(n);
            for (int l = 0; l < n; l++) {
                if (!lower.get(k * n + l).isEmpty()) {
                    intervals.add(
                            new ForecastRecord.Interval(
                                    levels.level(l), lower.get(k * n + l), upper.get(k * n + l)));
                }
            }
            ForecastRecord.Step step = f.steps().get(k);
            banded.add(new ForecastRecord.Step(step.targetTs(), step.predicted(), intervals));
        }
        return new ForecastRecord(
                f.sensor(), f.originTs(), banded, f.modelGroup(), f.modelVersion(), f.latencyMs());
    }

    /** The bands {@code given} for {@code target}'s reading, as its score reports them. */
    private List<ScoreRecord.Band> bands(SensorScoring s, double[] given, String target) {
        int t = s.banded(target);
        int n = levels.size();
        if (t < 0 || 2 * (t + 1) * n > given.length || Double.isNaN(given[2 * t * n])) {
            return List.of();
        }
        List<ScoreRecord.Band> out = new ArrayList<>(n);
        for (int l = 0; l < n; l++) {
            out.add(
                    new ScoreRecord.Band(
                            levels.level(l), given[2 * (t * n + l)], given[2 * (t * n + l) + 1]));
        }
        return out;
    }

    private void score(
            SensorScoring s,
            ForecastRecord forecast,
            double[] given,
            WindowForecast actual,
            long now,
            Counts counts,
            Consumer<Published> out) {
        Map<String, Double> predicted = forecast.steps().get(0).predicted();
        DetectorSettings settings = byGroup.getOrDefault(forecast.modelGroup(), this.settings);
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
            counts.scored();
            if (flagged) {
                counts.anomaly(forecast.modelGroup());
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
                            Math.max(0, now - actual.ingestMillis),
                            bands(s, given, target));
            out.accept(Published.score(r));
            if (flagged) {
                out.accept(Published.anomaly(r));
            }
        }
    }
}
