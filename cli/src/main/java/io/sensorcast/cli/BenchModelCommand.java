package io.sensorcast.cli;

import ai.onnxruntime.OrtException;
import io.sensorcast.model.block.NetworkConfig;
import io.sensorcast.model.engine.DjlRuntime;
import io.sensorcast.model.serving.InferenceBenchmark;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
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
            description = "Measured seconds per path and case (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Mixin EngineOptions engine;

    @Override
    public Integer call() throws OrtException {
        PrintWriter w = spec.commandLine().getOut();
        engine.apply();
        if (!(seconds > 0 && seconds <= 600)) {
            throw new IllegalArgumentException("--seconds must be in (0, 600], got " + seconds);
        }
        double torchSgemm = InferenceBenchmark.sgemmFlops(1024, Math.max(1, seconds));
        double ortSgemm = InferenceBenchmark.ortSgemmFlops(1024, Math.max(1, seconds), 0);
        double sgemm = Math.max(torchSgemm, ortSgemm);
        w.printf(
                Locale.ROOT,
                "PyTorch %s, %d cores, intra-op threads %s (both engines), SGEMM %.1f GFLOP/s"
                        + " (libtorch %.1f, ONNX Runtime %.1f, all cores); bidirectional LSTM, 1"
                        + " feature, horizon 1%n",
                DjlRuntime.engine().getVersion(),
                Runtime.getRuntime().availableProcessors(),
                engine.threads == 0 ? "default" : engine.threads,
                sgemm / 1e9,
                torchSgemm / 1e9,
                ortSgemm / 1e9);
        w.printf(
                Locale.ROOT,
                "%-9s %5s %9s %9s %9s %9s %8s %8s %7s%n",
                "shape",
                "batch",
                "torch op",
                "torch srv",
                "ort raw",
                "ort srv",
                "srv/raw",
                "ort/trch",
                "limit%");
        for (String shape : shapes) {
            NetworkConfig config = parse(shape);
            double limit = sgemm / InferenceBenchmark.recurrentFlops(config);
            try (InferenceBenchmark bench = new InferenceBenchmark(config, engine.threads)) {
                for (int batch : batches) {
                    if (batch < 1) {
                        throw new IllegalArgumentException("--batches must be >= 1, got " + batch);
                    }
                    InferenceBenchmark.Rates r = bench.measure(batch, seconds);
                    w.printf(
                            Locale.ROOT,
                            "%-9s %5d %9.0f %9.0f %9.0f %9.0f %8.2f %8.2f %6.0f%%%n",
                            shape,
                            batch,
                            r.torchOp(),
                            r.torchServing(),
                            r.ortRaw(),
                            r.ortServing(),
                            r.ortServing() / r.ortRaw(),
                            r.ortServing() / r.torchServing(),
                            100 * r.ortServing() / limit);
                    w.flush();
                }
            }
        }
        w.println(
                "windows/s; srv/raw = ONNX Runtime serving ÷ raw ONNX Runtime; ort/trch = ONNX"
                        + " Runtime serving ÷ libtorch serving; limit% = ONNX Runtime serving ÷"
                        + " (SGEMM FLOP/s, the faster engine's, ÷ FLOP per window)");
        return 0;
    }

    private static NetworkConfig parse(String shape) {
        String[] p = shape.toLowerCase(Locale.ROOT).split("x");
        if (p.length != 3) {
            throw new IllegalArgumentException(
                    "--shapes entries must be WINDOWxHIDDENxLAYERS, got '" + shape + "'");
        }
        return NetworkConfig.builder()
                .setWindow(Integer.parseInt(p[0]))
                .setHorizon(1)
                .optHiddenSize(Integer.parseInt(p[1]))
                .optLayers(Integer.parseInt(p[2]))
                .optLinearSkip(false)
                .build();
    }
}
