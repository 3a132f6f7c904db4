package io.sensorcast.pipeline.retrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sensorcast.model.ForecastModel;
import io.sensorcast.model.artifact.ModelArtifact;
import io.sensorcast.model.dataset.Standardizer;
import io.sensorcast.model.dataset.TimeSeriesTable;
import io.sensorcast.model.dataset.TimeSplit;
import io.sensorcast.model.manifest.ModelManifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Candidates from scratch, or fine-tuned from the model in service when asked and sound. */
class BiLstmTrainerTest {

    @TempDir Path root;

    private static RetrainSettings settings(boolean fineTune) {
        Configuration c = new Configuration();
        c.set(RetrainOptions.WINDOW, 12);
        c.set(RetrainOptions.HIDDEN_SIZE, 4);
        c.set(RetrainOptions.EPOCHS, 1);
        c.set(RetrainOptions.FINE_TUNE, fineTune);
        return RetrainSettings.from(c);
    }

    /** A noisy cycle of period 12, {@code rows} long, starting at step {@code from}. */
    private static TimeSeriesTable cycle(int from, int rows, double amplitude) {
        Random random = new Random(from);
        List<String> times = new ArrayList<>();
        double[] v = new double[rows];
        for (int i = 0; i < rows; i++) {
            times.add("t" + (from + i));
            v[i] = amplitude * Math.sin(2 * Math.PI * (from + i) / 12) + random.nextGaussian();
        }
        return new TimeSeriesTable(times, List.of("value"), new double[][] {v});
    }

    private ModelManifest train(
            TimeSeriesTable table, RetrainSettings s, ForecastModel serving, String dir)
            throws Exception {
        Path out = root.resolve(dir);
        TimeSplit split = TimeSplit.fractions(table.rows(), 0.6, 0.2);
        new BiLstmTrainer()
                .train(new CandidateTrainer.Round(table, "test", split, s, serving), out);
        return ModelArtifact.readManifest(out);
    }

    @Test
    void fineTunesTheServingModelOnlyWhenAskedAndTheScaleHolds() throws Exception {
        ModelManifest first = train(cycle(0, 600, 3), settings(false), null, "v1");
        try (ForecastModel serving = ModelArtifact.load(root.resolve("v1"))) {
            TimeSeriesTable newer = cycle(600, 600, 3);
            Standardizer own = Standardizer.fit(newer, 0, 360);

            ModelManifest tuned = train(newer, settings(true), serving, "tuned");
            assertThat(tuned.scaler()).isEqualTo(first.scaler()); // the serving model's scaling
            assertThat(tuned.scaler()).isNotEqualTo(own);

            ModelManifest scratch = train(newer, settings(false), serving, "scratch");
            assertThat(scratch.scaler()).isEqualTo(own);
            // epoch 0 of the fine-tuned run was the serving model; from scratch, something else
            assertThat(tuned.training().initialValidationLoss())
                    .isNotCloseTo(scratch.training().initialValidationLoss(), within(1e-3));

            // three times the spread: the serving model's scaling no longer fits; from scratch
            TimeSeriesTable wider = cycle(600, 600, 10);
            ModelManifest refit = train(wider, settings(true), serving, "wider");
            assertThat(refit.scaler()).isEqualTo(Standardizer.fit(wider, 0, 360));
        }
    }

    @Test
    void judgesTheScaleByEveryColumnsSpread() {
        Standardizer serving = new Standardizer(new double[] {0, 5}, new double[] {1, 2});
        assertThat(BiLstmTrainer.sameScale(serving, serving)).isTrue();
        assertThat(
                        BiLstmTrainer.sameScale(
                                serving,
                                new Standardizer(new double[] {9, 9}, new double[] {2, 1})))
                .isTrue(); // means may move (windows are normalised to their last value)
        assertThat(
                        BiLstmTrainer.sameScale(
                                serving,
                                new Standardizer(new double[] {0, 5}, new double[] {1, 4.01})))
                .isFalse();
        assertThat(
                        BiLstmTrainer.sameScale(
                                serving,
                                new Standardizer(new double[] {0, 5}, new double[] {0.49, 2})))
                .isFalse();
    }
}
