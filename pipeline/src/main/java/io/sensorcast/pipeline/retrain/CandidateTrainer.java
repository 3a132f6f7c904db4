package io.sensorcast.pipeline.retrain;

import io.sensorcast.model.ForecastModel;
import io.sensorcast.model.dataset.TimeSeriesTable;
import io.sensorcast.model.dataset.TimeSplit;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * Trains a candidate model for a group. It may use the rows before {@code split.validationEnd()}
 * only: the rows after are the hold-out on which it is judged.
 */
public interface CandidateTrainer extends Serializable {

    /** Trains on {@code round}'s data and saves the artifact in {@code out}. */
    void train(Round round, Path out) throws Exception;

    /**
     * What a retraining round hands its trainer.
     *
     * @param table the group's history, a column per feature
     * @param source where the history came from, for the manifest
     * @param split training, validation and hold-out rows
     * @param settings the round's settings
     * @param serving the model in service when it reads and forecasts exactly {@code table}'s
     *     columns, else null: a trainer may start from it (it must not close it)
     */
    record Round(
            TimeSeriesTable table,
            String source,
            TimeSplit split,
            RetrainSettings settings,
            ForecastModel serving) {}
}
