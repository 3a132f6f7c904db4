package io.sensorcast.pipeline.scoring;

import io.sensorcast.model.interval.IntervalLevels;
import io.sensorcast.model.interval.OnlineIntervals;
import io.sensorcast.pipeline.operators.WindowForecast;
import io.sensorcast.pipeline.state.BulkArrays;
import java.util.Arrays;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * All of one sensor's state in {@link ForecastScorer}, in one keyed value so that a forecast costs
 * one state lookup: the forecast waiting for the reading it predicts, a detector and an interval
 * calibration per target and the idle deadline (as {@code SensorSequence} keeps the sequence
 * function's). Separate values for each were a fifth of the scoring thread in {@code sensorcast
 * bench}'s profile. A Flink POJO.
 */
public final class SensorScoring {

    private static final String[] NO_TARGETS = new String[0];
    private static final AnomalyDetector[] NO_DETECTORS = new AnomalyDetector[0];
    private static final OnlineIntervals[] NO_BANDS = new OnlineIntervals[0];
    private static final double[] NO_VALUES = new double[0];

    /** The sensor's latest forecast; null before its first. */
    public WindowForecast last;

    /** The targets that have a detector, in the order of {@link #detectors}. */
    public String[] targets = NO_TARGETS;

    public AnomalyDetector[] detectors = NO_DETECTORS;

    /** The targets whose forecasts have intervals, in the order of {@link #bands}. */
    public String[] banded = NO_TARGETS;

    /** Each banded target's interval calibration. */
    public OnlineIntervals[] bands = NO_BANDS;

    /**
     * The latest forecast's first-step bands, per banded target and level: lower at {@code 2 ×
     * (target × levels + level)}, upper after it; NaN where it gave none. What its score reports.
     */
    @TypeInfo(BulkArrays.Doubles.class)
    public double[] given = NO_VALUES;

    /**
     * The newest forecast's origin plus the idle timeout. The sensor has one idle timer; a forecast
     * only moves the deadline, and the timer, when it fires before it, is set again at it.
     */
    public long deadline;

    public SensorScoring() {}

    /** {@code target}'s detector, or null. */
    AnomalyDetector detector(String target) {
        for (int i = 0; i < targets.length; i++) {
            if (targets[i].equals(target)) {
                return detectors[i];
            }
        }
        return null;
    }

    /**
     * {@code target}'s interval calibration for forecasts of {@code horizon} steps: a new one when
     * it has none, or one for another horizon (a model of another horizon took over) or another
     * number of levels (the job restored with other levels).
     */
    int band(String target, int horizon, IntervalLevels levels) {
        if (banded == null) { // restored from a savepoint of a build without intervals
            banded = NO_TARGETS;
            bands = NO_BANDS;
            given = NO_VALUES;
        }
        int i = banded(target);
        if (i < 0) {
            i = banded.length;
            banded = Arrays.copyOf(banded, i + 1);
            bands = Arrays.copyOf(bands, i + 1);
            banded[i] = target;
        }
        if (bands[i] == null || !bands[i].fits(horizon, levels)) {
            bands[i] = OnlineIntervals.create(horizon, levels);
        }
        int size = 2 * banded.length * levels.size();
        if (given.length != size) {
            // a target more keeps the others' bands; another number of levels drops them all
            int kept = given.length == size - 2 * levels.size() ? given.length : 0;
            given = Arrays.copyOf(given, size);
            Arrays.fill(given, kept, size, Double.NaN);
        }
        return i;
    }

    /** The index of {@code target} in {@link #banded}, or -1. */
    int banded(String target) {
        if (banded == null) {
            return -1;
        }
        for (int i = 0; i < banded.length; i++) {
            if (banded[i].equals(target)) {
                return i;
            }
        }
        return -1;
    }

    /** Gives {@code target}, which has none, {@code detector}. */
    void add(String target, AnomalyDetector detector) {
        targets = Arrays.copyOf(targets, targets.length + 1);
        detectors = Arrays.copyOf(detectors, detectors.length + 1);
        targets[targets.length - 1] = target;
        detectors[detectors.length - 1] = detector;
    }
}
