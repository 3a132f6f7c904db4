package io.sensorcast.evaluation.bench;

import ai.onnxruntime.OrtException;
import io.sensorcast.model.block.NetworkConfig;
import io.sensorcast.model.engine.DjlRuntime;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * {@code sensorcast bench-model}: inference windows/s of the serving path on each engine against
 * the raw engine it runs on, and against the machine's matrix-multiply limit, one row per network
 * shape and batch size.
 */
public final class ModelBench {

    private ModelBench() {}

    /**
     * Prints the engines' SGEMM rate, then one row per shape ({@code WINDOWxHIDDENxLAYERS}) and
     * batch size: each path's windows/s and their ratios, each measured for {@code seconds} with
     * {@code threads} intra-op threads (0: the engines' default).
     */
    public static void run(
            List<String> shapes, List<Integer> batches, double seconds, int threads, PrintWriter w)
            throws OrtException {
        if (!(seconds > 0 && seconds <= 600)) {
            throw new IllegalArgumentException("--seconds must be in (0, 600], got " + seconds);
        }
        for (int batch : batches) {
            if (batch < 1) {
                throw new IllegalArgumentException("--batches must be >= 1, got " + batch);
            }
        }
        List<NetworkConfig> configs = shapes.stream().map(ModelBench::parse).toList();
        double sgemm = sgemm(seconds, threads, w);
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
        for (int i = 0; i < configs.size(); i++) {
            NetworkConfig config = configs.get(i);
            double limit = sgemm / InferenceBenchmark.recurrentFlops(config);
            try (InferenceBenchmark bench = new InferenceBenchmark(config, threads)) {
                for (int batch : batches) {
                    row(w, shapes.get(i), batch, bench.measure(batch, seconds), limit);
                }
            }
        }
        w.println(
                "windows/s; srv/raw = ONNX Runtime serving ÷ raw ONNX Runtime; ort/trch = ONNX"
                        + " Runtime serving ÷ libtorch serving; limit% = ONNX Runtime serving ÷"
                        + " (SGEMM FLOP/s, the faster engine's, ÷ FLOP per window)");
    }

    /** The faster engine's SGEMM FLOP/s on all cores, printed with both engines' figures. */
    private static double sgemm(double seconds, int threads, PrintWriter w) throws OrtException {
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
                threads == 0 ? "default" : threads,
                sgemm / 1e9,
                torchSgemm / 1e9,
                ortSgemm / 1e9);
        return sgemm;
    }

    private static void row(
            PrintWriter w, String shape, int batch, InferenceBenchmark.Rates r, double limit) {
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
