package io.sensorcast.cli.evaluation;

import ai.onnxruntime.OrtException;
import io.sensorcast.cli.options.EngineOptions;
import io.sensorcast.evaluation.bench.ModelBench;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sensorcast bench-model}: inference windows/s of the serving path on each engine against
 * the raw engine it runs on, and against the machine's matrix-multiply limit.
 */
@Command(
        name = "bench-model",
        mixinStandardHelpOptions = true,
        description = {
            "Measure inference windows/s of a bidirectional LSTM forecaster at several batch sizes:"
                    + " the bare fused libtorch op, the serving path on libtorch, ONNX Runtime's own"
                    + " Java API on the exported graph, and the serving path on ONNX Runtime.",
            "Each path creates its input from Java floats and reads the result back, as serving"
                    + " does. Prints serving/raw ratios and the share of the SGEMM-derived limit"
                    + " (SGEMM FLOP/s, the faster of libtorch's and ONNX Runtime's on all cores, ÷"
                    + " the network's FLOP per window), measured in the same run."
        })
public final class BenchModelCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--batches",
            split = ",",
            defaultValue = "1,32,256,1024",
            description = "Batch sizes.")
    List<Integer> batches;

    @Option(
            names = "--shapes",
            split = ",",
            defaultValue = "64x64x2,48x32x1",
            description = "WINDOWxHIDDENxLAYERS shapes.")
    List<String> shapes;

    @Option(
            names = "--seconds",
            defaultValue = "3",
            description = "Measured seconds per path and case.")
    double seconds;

    @Mixin EngineOptions engine;

    @Override
    public Integer call() throws OrtException {
        engine.apply();
        ModelBench.run(shapes, batches, seconds, engine.threads, spec.commandLine().getOut());
        return 0;
    }
}
