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

    /**
     * Trains on {@code table} and saves the artifact in {@code out}.
     *
     * @param serving the model in service when it reads and forecasts exactly {@code table}'s
     *     columns, else null: a trainer may start from it (it must not close it)
     */
    void train(
            TimeSeriesTable table,
            String source,
            TimeSplit split,
            RetrainSettings s,
            ForecastModel serving,
            Path out)
            throws Exception;
}
