package io.sensorcast.model.training;

import io.sensorcast.model.block.ForecastBlock;
import io.sensorcast.model.block.NetworkConfig;
import io.sensorcast.model.dataset.Standardizer;
import io.sensorcast.model.dataset.TimeSeriesTable;
import io.sensorcast.model.dataset.TimeSplit;
import io.sensorcast.model.dataset.WindowSpec;
import io.sensorcast.model.dataset.WindowedSeries;
import io.sensorcast.model.engine.DjlRuntime;
import io.sensorcast.model.evaluation.Comparison;
import io.sensorcast.model.evaluation.Forecaster;
import io.sensorcast.model.evaluation.NetworkForecaster;
import io.sensorcast.model.manifest.DataRange;
import io.sensorcast.model.manifest.EpochStats;
import io.sensorcast.model.manifest.ForecastMetrics;
import io.sensorcast.model.manifest.ModelManifest;
import io.sensorcast.model.manifest.TrainingOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One training run from a table to a model and its manifest: fit the scaler on the training rows,
 * cut windows per period, train, then score the model and the baselines on the validation windows.
 */
public final class TrainingRun {

    private final TimeSeriesTable table;
    private final String source;
    private final List<String> features;
    private final List<String> targets;
    private final int[] targetIndices;
    private final WindowSpec spec;
    private final TimeSplit split;
    private final int seasonPeriod;
    private final Standardizer scaler;

    /**
     * @param table the data, with at least the named columns
     * @param source where the data came from, for the manifest
     * @param features input columns in model order; targets missing from it are appended
     * @param targets forecast columns
     */
    public TrainingRun(
            TimeSeriesTable table,
            String source,
            List<String> features,
            List<String> targets,
            WindowSpec spec,
            TimeSplit split,
            int seasonPeriod) {
        this(table, source, features, targets, spec, split, seasonPeriod, null);
    }

    /**
     * A run on {@code scaler}'s standardisation instead of one fitted to the training rows: the
     * scaler of a model to {@link #fineTune}, whose weights expect its inputs scaled as they were.
     *
     * @param scaler per input column (after targets missing from {@code features} are appended), or
     *     null to fit one on the training rows
     */
    public TrainingRun(
            TimeSeriesTable table,
            String source,
            List<String> features,
            List<String> targets,
            WindowSpec spec,
            TimeSplit split,
            int seasonPeriod,
            Standardizer scaler) {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("at least one target column is required");
        }
        if (seasonPeriod < 1 || seasonPeriod > spec.window()) {
            // fail now, not after training, when the seasonal baseline is scored
            throw new IllegalArgumentException(
                    "season period must be in [1, "
                            + spec.window()
                            + "] (at most the window), got "
                            + seasonPeriod);
        }
        if (split.testEnd() > table.rows()) {
            throw new IllegalArgumentException(
                    "split ends at row " + split.testEnd() + " but the data has " + table.rows());
        }
        List<String> inputs = new ArrayList<>(features);
        for (String t : targets) {
            if (inputs.stream().noneMatch(t::equalsIgnoreCase)) {
                inputs.add(t);
            }
        }
        this.table = table.select(inputs);
        this.features = this.table.columns();
        this.targets = new ArrayList<>();
        this.targetIndices = new int[targets.size()];
        for (int k = 0; k < targets.size(); k++) {
            targetIndices[k] = this.table.columnIndex(targets.get(k));
            this.targets.add(this.features.get(targetIndices[k]));
        }
        this.source = source;
        this.spec = spec;
        this.split = split;
        this.seasonPeriod = seasonPeriod;
        if (scaler != null && scaler.columns() != this.features.size()) {
            throw new IllegalArgumentException(
                    "scaler has "
                            + scaler.columns()
                            + " columns but the run reads "
                            + this.features.size()
                            + " "
                            + this.features);
        }
        this.scaler = scaler != null ? scaler : Standardizer.fit(this.table, 0, split.trainEnd());
    }

    public List<String> features() {
        return features;
    }

    public int[] targetIndices() {
        return targetIndices.clone();
    }

    public Standardizer scaler() {
        return scaler;
    }

    /** Windows whose targets lie in {@code period}. */
    public WindowedSeries windows(TimeSplit.Period period) {
        return WindowedSeries.of(table, targetIndices, scaler, spec, period);
    }

    /** The network for this data: window, horizon, features and targets filled in. */
    public NetworkConfig.Builder network() {
        return NetworkConfig.builder()
                .setWindow(spec.window())
                .setHorizon(spec.horizon())
                .optInputFeatures(features.size())
                .optTargetIndices(targetIndices);
    }

    /**
     * Trains {@code network} and builds its manifest. The caller owns (and must close) the result.
     */
    public Outcome train(
            NetworkConfig network, TrainingOptions options, Consumer<EpochStats> progress) {
        return run(
                options,
                (trainer, train, validation) -> trainer.train(network, train, validation),
                progress);
    }

    /**
     * Fine-tunes {@code start} (a network for this run's windows and features, trained on data
     * standardised by this run's scaler: construct the run with the start model's scaler) on this
     * run's data and builds the manifest. The caller owns (and must close) the result.
     */
    public Outcome fineTune(
            ForecastBlock start, TrainingOptions options, Consumer<EpochStats> progress) {
        NetworkConfig c = start.config();
        if (c.window() != spec.window()
                || c.horizon() != spec.horizon()
                || c.inputFeatures() != features.size()
                || !Arrays.equals(c.targetIndices(), targetIndices)) {
            throw new IllegalArgumentException(
                    "cannot fine-tune "
                            + c
                            + " on this run's windows (window "
                            + spec.window()
                            + ", horizon "
                            + spec.horizon()
                            + ", features "
                            + features
                            + ", targets at "
                            + Arrays.toString(targetIndices)
                            + ")");
        }
        return run(
                options,
                (trainer, train, validation) -> trainer.fineTune(start, train, validation),
                progress);
    }

    /** How a run's trainer makes its model from the training and validation windows. */
    private interface Fit {
        ForecastTrainer.Trained apply(
                ForecastTrainer trainer, WindowedSeries train, WindowedSeries validation);
    }

    private Outcome run(TrainingOptions options, Fit fit, Consumer<EpochStats> progress) {
        WindowedSeries train = windows(split.train());
        WindowedSeries validation = windows(split.validation());
        return describe(
                fit.apply(new ForecastTrainer(options, progress), train, validation),
                options,
                train,
                validation);
    }

    private Outcome describe(
            ForecastTrainer.Trained trained,
            TrainingOptions options,
            WindowedSeries train,
            WindowedSeries validation) {
        NetworkConfig network = trained.block().config();
        try {
            List<Forecaster> forecasters = new ArrayList<>();
            forecasters.add(
                    new NetworkForecaster(
                            "model", trained.block(), trained.model().getNDManager(), 512));
            forecasters.addAll(Comparison.baselines(targetIndices, seasonPeriod, train));
            Map<String, ForecastMetrics> metrics =
                    new LinkedHashMap<>(
                            Comparison.run(forecasters, validation, scaler, targetIndices));
            ModelManifest manifest =
                    new ModelManifest(
                            ModelManifest.FORMAT_VERSION,
                            network,
                            features,
                            targets,
                            scaler,
                            seasonPeriod,
                            new DataRange(
                                    source,
                                    table.timestamp(0),
                                    table.timestamp(split.trainEnd() - 1),
                                    table.rows(),
                                    split,
                                    spec.stride()),
                            options,
                            trained.result(),
                            metrics,
                            Instant.now().toString(),
                            ai.djl.engine.Engine.getDjlVersion(),
                            DjlRuntime.engine().getVersion());
            return new Outcome(trained, manifest);
        } catch (RuntimeException e) {
            trained.close();
            throw e;
        }
    }

    /** A trained network with the manifest that describes it. */
    public record Outcome(ForecastTrainer.Trained trained, ModelManifest manifest)
            implements AutoCloseable {
        @Override
        public void close() {
            trained.close();
        }
    }
}
