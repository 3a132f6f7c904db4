package io.sensorcast.model.training;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.sensorcast.model.block.ForecastBlock;
import io.sensorcast.model.block.NetworkConfig;
import io.sensorcast.model.dataset.WindowedSeries;
import io.sensorcast.model.engine.DjlRuntime;
import io.sensorcast.model.manifest.EpochStats;
import io.sensorcast.model.manifest.TrainingOptions;
import io.sensorcast.model.manifest.TrainingResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Trains a {@link ForecastBlock} on standardised windows with Adam, global gradient-norm clipping
 * and early stopping that restores the best validation epoch's weights.
 *
 * <p>Each mini-batch runs in its own {@link NDManager} scope, so native memory stays flat however
 * many epochs run.
 */
public final class ForecastTrainer {

    private final TrainingOptions options;
    private final Consumer<EpochStats> progress;

    /**
     * @param progress told after every epoch (e.g. to print a line)
     */
    public ForecastTrainer(TrainingOptions options, Consumer<EpochStats> progress) {
        this.options = options;
        this.progress = progress;
    }

    /**
     * Builds a block for {@code config}, trains it and returns the model holding the best weights.
     * The caller owns (and must close) the returned model.
     */
    public Trained train(NetworkConfig config, WindowedSeries train, WindowedSeries validation) {
        return fit(config, null, train, validation);
    }

    /**
     * Like {@link #train} but starting from {@code start}'s weights instead of random ones (and no
     * linear warm start): a model in service refined on newer data. Epoch 0, the starting point, is
     * {@code start} itself, so early stopping never returns a model that validates worse than it.
     * The windows must be standardised as {@code start}'s were. The caller owns (and must close)
     * the returned model; {@code start} is only read.
     */
    public Trained fineTune(ForecastBlock start, WindowedSeries train, WindowedSeries validation) {
        return fit(start.config(), start, train, validation);
    }

    private Trained fit(
            NetworkConfig config,
            ForecastBlock start,
            WindowedSeries train,
            WindowedSeries validation) {
        checkShapes(config, train, "train");
        checkShapes(config, validation, "validation");
        if (train.size() == 0) {
            throw new IllegalArgumentException("no training windows");
        }
        if (validation.size() == 0) {
            throw new IllegalArgumentException("no validation windows");
        }
        DjlRuntime.engine().setRandomSeed((int) options.seed());
        Model model = Model.newInstance("sensorcast", DjlRuntime.device(options.device()));
        try {
            model.setBlock(new ForecastBlock(config));
            TrainingResult result = fit(model, start, train, validation);
            return new Trained(model, result);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private TrainingResult fit(
            Model model, ForecastBlock from, WindowedSeries train, WindowedSeries validation) {
        long start = System.nanoTime();
        Random shuffle = new Random(options.seed());
        List<EpochStats> history = new ArrayList<>();
        try (Trainer trainer = model.newTrainer(trainingConfig(model))) {
            trainer.initialize(new Shape(1, train.window(), train.features()));
            List<Parameter> parameters = new ArrayList<>();
            for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
                parameters.add(p.getValue());
            }
            ForecastBlock block = (ForecastBlock) model.getBlock();
            if (from != null) {
                copyParameters(from, parameters);
            } else if (options.linearWarmStart() && block.config().linearSkip()) {
                block.warmStartLinearSkip(train);
            }
            // Epoch 0 is the starting point: the model fine-tuned, or with a linear warm start the
            // linear fit itself.
            float[][] best = snapshot(parameters);
            double initialLoss = meanSquaredError(trainer, validation);
            double bestLoss = initialLoss;
            int bestEpoch = 0;
            int sinceBest = 0;
            boolean stoppedEarly = false;
            int[] order = train.allIndices();
            for (int epoch = 1; epoch <= options.epochs(); epoch++) {
                shuffle(order, shuffle);
                EpochStats stats = epoch(epoch, trainer, parameters, train, order, validation);
                double validationLoss = stats.validationLoss();
                history.add(stats);
                progress.accept(stats);
                if (!Double.isFinite(stats.trainLoss())) {
                    throw new IllegalStateException(
                            "training diverged at epoch "
                                    + epoch
                                    + " (loss "
                                    + stats.trainLoss()
                                    + "); lower the learning rate or clip norm");
                }
                if (validationLoss < bestLoss) {
                    bestLoss = validationLoss;
                    bestEpoch = epoch;
                    best = snapshot(parameters);
                    sinceBest = 0;
                } else if (++sinceBest >= options.patience()) {
                    stoppedEarly = epoch < options.epochs();
                    break;
                }
            }
            restore(parameters, best);
            return new TrainingResult(
                    initialLoss,
                    history,
                    bestEpoch,
                    bestLoss,
                    stoppedEarly,
                    (System.nanoTime() - start) / 1e9);
        }
    }

    private DefaultTrainingConfig trainingConfig(Model model) {
        return new DefaultTrainingConfig(Loss.l2Loss())
                .optOptimizer(
                        Optimizer.adam()
                                .optLearningRateTracker(
                                        Tracker.fixed((float) options.learningRate()))
                                .build())
                .optDevices(new ai.djl.Device[] {model.getNDManager().getDevice()});
    }

    /** One pass over the training windows in {@code order}, then the validation loss. */
    private EpochStats epoch(
            int epoch,
            Trainer trainer,
            List<Parameter> parameters,
            WindowedSeries train,
            int[] order,
            WindowedSeries validation) {
        long epochStart = System.nanoTime();
        double lossSum = 0;
        for (int from = 0; from < order.length; from += options.batchSize()) {
            int to = Math.min(order.length, from + options.batchSize());
            lossSum += step(trainer, parameters, train, order, from, to) * (to - from);
        }
        return new EpochStats(
                epoch,
                lossSum / order.length,
                meanSquaredError(trainer, validation),
                (System.nanoTime() - epochStart) / 1e9);
    }

    private double step(
            Trainer trainer,
            List<Parameter> parameters,
            WindowedSeries data,
            int[] order,
            int from,
            int to) {
        try (NDManager scope = trainer.getManager().newSubManager()) {
            NDArray x = batchInputs(scope, data, order, from, to);
            NDArray y = batchLabels(scope, data, order, from, to);
            float loss;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDArray prediction = trainer.forward(new NDList(x)).head();
                NDArray mse = prediction.sub(y).square().mean();
                collector.backward(mse);
                loss = mse.getFloat();
            }
            // A batch the model already fits exactly (a flat or perfectly periodic series) has no
            // gradient; DJL refuses to step on one, and there is nothing to learn from it anyway.
            if (clipGradients(parameters, options.clipNorm(), scope) > 0) {
                trainer.step();
            }
            return loss;
        }
    }

    /** Scales every gradient by {@code min(1, maxNorm / ‖g‖)}, ‖g‖ the norm over all of them. */
    static double clipGradients(List<Parameter> parameters, double maxNorm, NDManager scope) {
        NDArray sumSquares = scope.zeros(new Shape());
        List<NDArray> gradients = new ArrayList<>(parameters.size());
        for (Parameter p : parameters) {
            NDArray g = p.getArray().getGradient();
            g.attach(scope); // a fresh handle per call: free it with the batch
            gradients.add(g);
            sumSquares = sumSquares.add(g.square().sum());
        }
        double norm = Math.sqrt(sumSquares.getFloat());
        if (norm > maxNorm) {
            float scale = (float) (maxNorm / (norm + 1e-6));
            for (NDArray g : gradients) {
                g.muli(scale);
            }
        }
        return norm;
    }

    private static double meanSquaredError(Trainer trainer, WindowedSeries data) {
        int[] all = data.allIndices();
        double sum = 0;
        int batch = 512;
        for (int from = 0; from < all.length; from += batch) {
            int to = Math.min(all.length, from + batch);
            try (NDManager scope = trainer.getManager().newSubManager()) {
                NDArray x = batchInputs(scope, data, all, from, to);
                NDArray y = batchLabels(scope, data, all, from, to);
                NDArray prediction = trainer.evaluate(new NDList(x)).head();
                sum += prediction.sub(y).square().sum().getFloat();
            }
        }
        return sum / ((double) all.length * data.labelStride());
    }

    static NDArray batchInputs(
            NDManager scope, WindowedSeries data, int[] order, int from, int to) {
        return scope.create(
                data.gatherInputs(order, from, to),
                new Shape(to - from, data.window(), data.features()));
    }

    static NDArray batchLabels(
            NDManager scope, WindowedSeries data, int[] order, int from, int to) {
        return scope.create(
                data.gatherLabels(order, from, to),
                new Shape(to - from, data.horizon(), data.targets()));
    }

    /** Sets {@code into} (the parameters of a block of {@code from}'s config) to {@code from}'s. */
    private static void copyParameters(ForecastBlock from, List<Parameter> into) {
        ParameterList source = from.getParameters();
        if (source.size() != into.size()) {
            throw new IllegalArgumentException(
                    "start block has " + source.size() + " parameters, expected " + into.size());
        }
        for (int i = 0; i < into.size(); i++) {
            NDArray value = source.get(i).getValue().getArray();
            NDArray target = into.get(i).getArray();
            if (!value.getShape().equals(target.getShape())) {
                throw new IllegalArgumentException(
                        "start block's "
                                + source.get(i).getKey()
                                + " is "
                                + value.getShape()
                                + ", expected "
                                + target.getShape());
            }
            target.set(value.toFloatArray());
        }
    }

    private static float[][] snapshot(List<Parameter> parameters) {
        float[][] values = new float[parameters.size()][];
        for (int i = 0; i < values.length; i++) {
            values[i] = parameters.get(i).getArray().toFloatArray();
        }
        return values;
    }

    private static void restore(List<Parameter> parameters, float[][] values) {
        for (int i = 0; i < values.length; i++) {
            parameters.get(i).getArray().set(values[i]);
        }
    }

    private static void shuffle(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static void checkShapes(NetworkConfig config, WindowedSeries data, String name) {
        if (data.window() != config.window()
                || data.horizon() != config.horizon()
                || data.features() != config.inputFeatures()
                || data.targets() != config.targets()) {
            throw new IllegalArgumentException(
                    name
                            + " windows are (window "
                            + data.window()
                            + ", horizon "
                            + data.horizon()
                            + ", features "
                            + data.features()
                            + ", targets "
                            + data.targets()
                            + ") but the network expects "
                            + config);
        }
    }

    /** A trained model (best weights restored) and how it got there; close it to free memory. */
    public record Trained(Model model, TrainingResult result) implements AutoCloseable {

        public ForecastBlock block() {
            return (ForecastBlock) model.getBlock();
        }

        @Override
        public void close() {
            model.close();
        }
    }
}
