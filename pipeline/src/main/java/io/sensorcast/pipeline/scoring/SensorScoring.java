package io.sensorcast.pipeline.scoring;

import io.sensorcast.pipeline.operators.WindowForecast;
import java.util.Arrays;

/**
 * All of one sensor's state in {@link ForecastScorer}, in one keyed value so that a forecast costs
 * one state lookup: the forecast waiting for the reading it predicts, a detector per target and the
 * idle deadline (as {@code SensorSequence} keeps the sequence function's). Separate values for each
 * were a fifth of the scoring thread in {@code sensorcast bench}'s profile. A Flink POJO.
 */
public final class SensorScoring {

    private static final String[] NO_TARGETS = new String[0];
    private static final AnomalyDetector[] NO_DETECTORS = new AnomalyDetector[0];

    /** The sensor's latest forecast; null before its first. */
    public WindowForecast last;

    /** The targets that have a detector, in the order of {@link #detectors}. */
    public String[] targets = NO_TARGETS;

    public AnomalyDetector[] detectors = NO_DETECTORS;

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

    /** Gives {@code target}, which has none, {@code detector}. */
    void add(String target, AnomalyDetector detector) {
        targets = Arrays.copyOf(targets, targets.length + 1);
        detectors = Arrays.copyOf(detectors, detectors.length + 1);
        targets[targets.length - 1] = target;
        detectors[detectors.length - 1] = detector;
    }
}
