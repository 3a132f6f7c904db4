package io.sensorcast.pipeline.retrain;

import io.sensorcast.model.ForecastModel;
import io.sensorcast.model.artifact.ModelArtifact;
import io.sensorcast.model.block.NetworkConfig;
import io.sensorcast.model.dataset.SeasonalChannels;
import io.sensorcast.model.dataset.Standardizer;
import io.sensorcast.model.dataset.TimeSeriesTable;
import io.sensorcast.model.dataset.TimeSplit;
import io.sensorcast.model.dataset.WindowSpec;
import io.sensorcast.model.manifest.TrainingOptions;
import io.sensorcast.model.training.TrainingRun;
import java.nio.file.Path;
import java.util.List;

/**
 * The product's candidate: a one-step BiLSTM forecaster of every reading column from the readings
 * and their seasonal channels (the table's other columns), from the model module. With {@code
 * sensorcast.retrain.fine-tune} a candidate whose network the model in service already has, on data
 * of about the same spread, starts from that model's weights and scaling; otherwise (and by
 * default) from scratch.
 */
public final class BiLstmTrainer implements CandidateTrainer {

    private static final long serialVersionUID = 1L;

    @Override
    public void train(Round round, Path out) throws Exception {
        TimeSeriesTable table = round.table();
        TimeSplit split = round.split();
        RetrainSettings s = round.settings();
        ForecastModel serving = round.serving();
        WindowSpec spec = new WindowSpec(s.window(), 1, 1);
        int season = Math.min(s.season(), s.window());
        TrainingOptions options = TrainingOptions.defaults().withEpochs(s.epochs());
        List<String> targets = SeasonalChannels.readingColumns(table.columns());
        NetworkConfig network =
                NetworkConfig.builder()
                        .setWindow(spec.window())
                        .setHorizon(spec.horizon())
                        .optInputFeatures(table.columns().size())
                        .optTargetIndices(targets.stream().mapToInt(table::columnIndex).toArray())
                        .optSkipRecentSteps(
                                targets.size() < table.columns().size()
                                        ? Math.min(RECENT_STEPS, s.window())
                                        : 0)
                        .optHiddenSize(s.hiddenSize())
                        .optLayers(s.layers())
                        .build();
        boolean fineTune =
                s.fineTune()
                        && serving != null
                        && serving.manifest().network().equals(network)
                        && serving.manifest().features().equals(table.columns())
                        && sameScale(
                                serving.manifest().scaler(),
                                Standardizer.fit(table, 0, split.trainEnd()));
        TrainingRun run =
                new TrainingRun(
                        table,
                        round.source(),
                        table.columns(),
                        targets,
                        spec,
                        split,
                        season,
                        fineTune ? serving.manifest().scaler() : null);
        try (TrainingRun.Outcome o =
                fineTune
                        ? run.fineTune(serving.block(), options, e -> {})
                        : run.train(network, options, e -> {})) {
            ModelArtifact.save(out, o.trained().block(), o.manifest());
        }
    }

    /**
     * Whether every column's spread on the new training rows is within a factor of {@value
     * #MAX_SCALE_CHANGE} of the serving model's: weights learnt on one scaling are a sound start
     * only while the data still looks alike through it. A sensor whose variance moved further is
     * trained from scratch on its own scaling.
     */
    static boolean sameScale(Standardizer serving, Standardizer now) {
        double[] before = serving.stds();
        double[] after = now.stds();
        for (int c = 0; c < before.length; c++) {
            double ratio = after[c] / before[c];
            if (ratio > MAX_SCALE_CHANGE || ratio < 1 / MAX_SCALE_CHANGE) {
                return false;
            }
        }
        return true;
    }

    static final double MAX_SCALE_CHANGE = 2;

    /**
     * Newest steps of every column the linear skip path reads besides each target's window, when
     * the table has seasonal channels: the changes a day and a week ago around the target's time of
     * day (the channels' whole windows overfit: 3 × 48 linear inputs on the first rounds' few
     * hundred rows).
     */
    static final int RECENT_STEPS = 4;
}
