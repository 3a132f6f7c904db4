package io.sensorcast.pipeline.retrain;

import io.sensorcast.model.artifact.ModelArtifact;
import io.sensorcast.model.dataset.TimeSeriesTable;
import io.sensorcast.model.dataset.TimeSplit;
import io.sensorcast.model.dataset.WindowSpec;
import io.sensorcast.model.training.TrainingOptions;
import io.sensorcast.model.training.TrainingRun;
import java.nio.file.Path;

/** The product's candidate: a one-step BiLSTM forecaster of every column, from the model module. */
public final class BiLstmTrainer implements CandidateTrainer {

    private static final long serialVersionUID = 1L;

    @Override
    public void train(
            TimeSeriesTable table, String source, TimeSplit split, RetrainSettings s, Path out)
            throws Exception {
        TrainingRun run =
                new TrainingRun(
                        table,
                        source,
                        table.columns(),
                        table.columns(),
                        new WindowSpec(s.window(), 1, 1),
                        split,
                        Math.min(s.season(), s.window()));
        try (TrainingRun.Outcome o =
                run.train(
                        run.network().optHiddenSize(s.hiddenSize()).optLayers(s.layers()).build(),
                        TrainingOptions.defaults().withEpochs(s.epochs()),
                        e -> {})) {
            ModelArtifact.save(out, o.trained().block(), o.manifest());
        }
    }
}
