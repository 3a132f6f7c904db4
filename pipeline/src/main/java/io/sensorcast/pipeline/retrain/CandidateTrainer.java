package io.sensorcast.pipeline.retrain;

import io.sensorcast.model.dataset.TimeSeriesTable;
import io.sensorcast.model.dataset.TimeSplit;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * Trains a candidate model for a group. It may use the rows before {@code split.validationEnd()}
 * only: the rows after are the hold-out on which it is judged.
 */
public interface CandidateTrainer extends Serializable {

    /** Trains on {@code table} and saves the artifact in {@code out}. */
    void train(TimeSeriesTable table, String source, TimeSplit split, RetrainSettings s, Path out)
            throws Exception;
}
