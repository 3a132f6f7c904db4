package io.sensorcast.cli;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.sensorcast.model.block.BiRecurrentBlock;
import io.sensorcast.model.block.ForecastBlock;
import io.sensorcast.model.block.NetworkConfig;
import io.sensorcast.model.engine.DjlRuntime;
import io.sensorcast.model.evaluation.NetworkForecaster;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.IntSupplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sensorcast bench-model}: inference windows/s of the forecaster block against the bare
 * fused libtorch op on the same inputs, so the block's overhead shows as a ratio.
 */
@Command(
        name = "bench-model",
        mixinStandardHelpOptions = true,
        description = {
            "Measure inference windows/s of the BiLSTM forecaster block and of the bare fused"
                    + " libtorch LSTM op (the baseline) at several batch sizes.",
            "Each measurement creates the input from Java floats and reads the result back,"
                    + " as serving does. Prints block/op ratios."
        })
final class BenchModelCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--batches",
            split = ",",
            defaultValue = "1,32,256,1024",
            description = "Batch sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(
            names = "--shapes",
            split = ",",
            defaultValue = "64x64x2,48x32x1",
            description = "WINDOWxHIDDENxLAYERS shapes (default: ${DEFAULT-VALUE}).")
    List<String> shapes;

    @Option(
            names = "--seconds",
            defaultValue = "3",
            description =
                    "Measured seconds per case, after 1 s warm-up (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Mixin EngineOptions engine;

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        engine.apply();
        w.printf(
                Locale.ROOT,
                "PyTorch %s, %d cores, intra-op threads %s, bidirectional LSTM, 1 feature,"
                        + " horizon 1%n",
                DjlRuntime.engine().getVersion(),
                Runtime.getRuntime().availableProcessors(),
                engine.threads == 0 ? "default" : engine.threads);
        w.printf(
                Locale.ROOT,
                "%-10s %6s %6s %6s %14s %14s %8s%n",
                "shape",
                "window",
                "hidden",
                "batch",
                "op windows/s",
                "block win/s",
                "ratio");
        for (String shape : shapes) {
            String[] p = shape.toLowerCase(Locale.ROOT).split("x");
            if (p.length != 3) {
                throw new IllegalArgumentException(
                        "--shapes entries must be WINDOWxHIDDENxLAYERS, got '" + shape + "'");
            }
            NetworkConfig config =
                    NetworkConfig.builder()
                            .setWindow(Integer.parseInt(p[0]))
                            .setHorizon(1)
                            .optHiddenSize(Integer.parseInt(p[1]))
                            .optLayers(Integer.parseInt(p[2]))
                            .optLinearSkip(false)
                            .build();
            for (int batch : batches) {
                if (batch < 1) {
                    throw new IllegalArgumentException("--batches must be >= 1, got " + batch);
                }
                double[] rates = measure(config, batch);
                w.printf(
                        Locale.ROOT,
                        "%-10s %6d %6d %6d %14.0f %14.0f %8.3f%n",
                        shape,
                        config.window(),
                        config.hiddenSize(),
                        batch,
                        rates[0],
                        rates[1],
                        rates[1] / rates[0]);
                w.flush();
            }
        }
        return 0;
    }

    /** {op windows/s, block windows/s}, alternating the two to share any drift. */
    private double[] measure(NetworkConfig config, int batch) {
        try (Model model = Model.newInstance("bench", DjlRuntime.device("cpu"))) {
            ForecastBlock block = new ForecastBlock(config);
            model.setBlock(block);
            NDManager base = model.getNDManager();
            Shape inputShape = new Shape(batch, config.window(), 1);
            block.initialize(base, DataType.FLOAT32, inputShape);
            float[] input = new float[batch * config.window()];
            Random random = new Random(7);
            for (int i = 0; i < input.length; i++) {
                input[i] = (float) random.nextGaussian();
            }
            BiRecurrentBlock rnn = block.recurrent();
            NDList weights = new NDList();
            for (Parameter parameter : rnn.flatWeights()) {
                weights.add(parameter.getArray());
            }
            Shape state =
                    new Shape((long) rnn.layers() * rnn.directions(), batch, rnn.hiddenSize());
            IntSupplier op =
                    () -> {
                        try (NDManager scope = base.newSubManager()) {
                            NDArray x = scope.create(input, inputShape);
                            NDList out =
                                    x.getNDArrayInternal()
                                            .lstm(
                                                    x,
                                                    new NDList(
                                                            scope.zeros(state), scope.zeros(state)),
                                                    weights,
                                                    true,
                                                    rnn.layers(),
                                                    0,
                                                    false,
                                                    true,
                                                    true);
                            return out.get(1).toFloatArray().length;
                        }
                    };
            // the serving path itself, so the ratio is what serving pays over the op
            IntSupplier forward =
                    () -> NetworkForecaster.forward(block, base, input, inputShape).length;
            run(op, 1.0);
            run(forward, 1.0);
            double opCalls = 0;
            double opTime = 0;
            double blockCalls = 0;
            double blockTime = 0;
            for (int round = 0; round < 4; round++) {
                double[] a = run(op, seconds / 4);
                double[] b = run(forward, seconds / 4);
                opCalls += a[0];
                opTime += a[1];
                blockCalls += b[0];
                blockTime += b[1];
            }
            return new double[] {opCalls * batch / opTime, blockCalls * batch / blockTime};
        }
    }

    /** {calls, seconds} of calling {@code body} for about {@code seconds}. */
    private static double[] run(IntSupplier body, double seconds) {
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        long calls = 0;
        long sink = 0;
        long now;
        do {
            sink += body.getAsInt();
            calls++;
            now = System.nanoTime();
        } while (now < deadline);
        if (sink == 42) {
            System.out.print("");
        }
        return new double[] {calls, (now - start) / 1e9};
    }
}
