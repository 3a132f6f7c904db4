package io.sensorcast.evaluation.bench;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.sensorcast.model.block.BiRecurrentBlock;
import io.sensorcast.model.block.ForecastBlock;
import io.sensorcast.model.block.NetworkConfig;
import io.sensorcast.model.engine.DjlRuntime;
import io.sensorcast.model.serving.OnnxExport;
import io.sensorcast.model.serving.OnnxGraph;
import io.sensorcast.model.serving.OrtNetwork;
import io.sensorcast.model.serving.TorchNetwork;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Random;
import java.util.function.IntSupplier;

/**
 * Inference speed of one network on both engines, each path measured from Java floats in to Java
 * floats out, as serving does: the bare fused libtorch op, the serving path on libtorch, ONNX
 * Runtime's own Java API on the exported graph (the raw engine), and the serving path on ONNX
 * Runtime. The paths alternate in rounds so that drift on a shared machine hits all alike.
 */
public final class InferenceBenchmark implements AutoCloseable {

    /** Windows per second of each path at one batch size. */
    public record Rates(double torchOp, double torchServing, double ortRaw, double ortServing) {}

    private final NetworkConfig config;
    private final Model model;
    private final ForecastBlock block;
    private final OrtNetwork ort;
    private final OrtSession raw;
    private final OrtSession.SessionOptions rawOptions;
    private final int threads;

    /**
     * A randomly initialised network of {@code config} on both engines, each with {@code threads}
     * intra-op threads (0: the engine's default).
     */
    public InferenceBenchmark(NetworkConfig config, int threads) throws OrtException {
        this.config = config;
        this.threads = threads;
        this.model = Model.newInstance("bench", DjlRuntime.device("cpu"));
        this.block = new ForecastBlock(config);
        model.setBlock(block);
        block.initialize(
                model.getNDManager(),
                DataType.FLOAT32,
                new Shape(1, config.window(), config.inputFeatures()));
        byte[] onnx = OnnxExport.export(block);
        this.ort = OrtNetwork.load(onnx, config, threads);
        this.rawOptions = new OrtSession.SessionOptions();
        rawOptions.setInterOpNumThreads(1);
        if (threads > 0) {
            rawOptions.setIntraOpNumThreads(threads);
        }
        rawOptions.addConfigEntry(OrtNetwork.SPINNING, "0"); // as the serving session
        this.raw = OrtEnvironment.getEnvironment().createSession(onnx, rawOptions);
    }

    /**
     * Floating-point operations of one window through the recurrent layers: per step, layer and
     * direction, {@code 2 × gates × hidden × (inputs + hidden)} (the head is negligible).
     */
    public static double recurrentFlops(NetworkConfig c) {
        double flops = 0;
        for (int layer = 0; layer < c.layers(); layer++) {
            int inputs = layer == 0 ? c.inputFeatures() : c.directions() * c.hiddenSize();
            flops +=
                    (double) c.directions()
                            * c.window()
                            * 2
                            * c.cell().gates()
                            * c.hiddenSize()
                            * (inputs + c.hiddenSize());
        }
        return flops;
    }

    /**
     * libtorch's single-precision matrix multiply in FLOP/s on {@code size}² matrices, the limit an
     * LSTM's batched gate products approach.
     */
    public static double sgemmFlops(int size, double seconds) {
        try (NDManager manager = NDManager.newBaseManager(DjlRuntime.device("cpu"))) {
            NDArray a = manager.randomUniform(-1, 1, new Shape(size, size));
            NDArray b = manager.randomUniform(-1, 1, new Shape(size, size));
            IntSupplier multiply =
                    () -> {
                        try (NDArray c = a.matMul(b)) {
                            return (int) c.getFloat(0, 0);
                        }
                    };
            run(multiply, 0.5);
            double[] r = run(multiply, seconds);
            return r[0] * 2.0 * size * size * size / r[1];
        }
    }

    /**
     * ONNX Runtime's single-precision matrix multiply (one {@code MatMul} node) in FLOP/s on {@code
     * size}² matrices, with {@code threads} intra-op threads (0: one per core). Its kernels are not
     * libtorch's: on a CPU where one engine's are faster, the faster one sets the limit.
     */
    public static double ortSgemmFlops(int size, double seconds, int threads) throws OrtException {
        Random random = new Random(11);
        float[] values = new float[size * size];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (2 * random.nextDouble() - 1);
        }
        OnnxGraph g = new OnnxGraph(17);
        g.input("a", size, size);
        String product = g.op("MatMul", new String[] {"a", g.floats("b", values, size, size)});
        g.alias(product, "c");
        g.output("c", size, size);
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setInterOpNumThreads(1);
            if (threads > 0) {
                options.setIntraOpNumThreads(threads);
            }
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession session = env.createSession(g.toBytes("sgemm"), options);
                    OnnxTensor a =
                            OnnxTensor.createTensor(
                                    env, FloatBuffer.wrap(values), new long[] {size, size})) {
                IntSupplier multiply =
                        () -> {
                            try (OrtSession.Result r = session.run(Map.of("a", a))) {
                                return (int) ((OnnxTensor) r.get(0)).getFloatBuffer().get(0);
                            } catch (OrtException e) {
                                throw new IllegalStateException(e);
                            }
                        };
                run(multiply, 0.5);
                double[] r = run(multiply, seconds);
                return r[0] * 2.0 * size * size * size / r[1];
            }
        }
    }

    /** The four paths at {@code batch}, {@code seconds} each after a warm-up. */
    public Rates measure(int batch, double seconds) throws OrtException {
        float[] input = new float[batch * config.window() * config.inputFeatures()];
        Random random = new Random(7);
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) random.nextGaussian();
        }
        Shape shape = new Shape(batch, config.window(), config.inputFeatures());
        TorchNetwork torch = new TorchNetwork(block, model.getNDManager());
        IntSupplier[] paths = {
            torchOp(input, shape),
            () -> torch.forward(input, batch).length,
            rawOrt(input, shape),
            () -> ort.forward(input, batch).length
        };
        double[] calls = new double[paths.length];
        double[] time = new double[paths.length];
        for (IntSupplier p : paths) {
            run(p, Math.min(1.0, seconds / 2));
        }
        // many short rounds: a shared machine's drift then falls on every path alike
        int rounds = Math.max(4, (int) (seconds / 0.2));
        for (int round = 0; round < rounds; round++) {
            for (int p = 0; p < paths.length; p++) {
                double[] r = run(paths[p], seconds / rounds);
                calls[p] += r[0];
                time[p] += r[1];
            }
        }
        double[] rate = new double[paths.length];
        for (int p = 0; p < paths.length; p++) {
            rate[p] = calls[p] * batch / time[p];
        }
        return new Rates(rate[0], rate[1], rate[2], rate[3]);
    }

    /** The fused recurrent op alone, on the same parameters and inputs. */
    private IntSupplier torchOp(float[] input, Shape shape) {
        BiRecurrentBlock rnn = block.recurrent();
        NDList weights = new NDList();
        for (Parameter parameter : rnn.flatWeights()) {
            weights.add(parameter.getArray());
        }
        Shape state =
                new Shape((long) rnn.layers() * rnn.directions(), shape.get(0), rnn.hiddenSize());
        NDManager base = model.getNDManager();
        return () -> {
            try (NDManager scope = base.newSubManager()) {
                NDArray x = scope.create(input, shape);
                NDList out =
                        x.getNDArrayInternal()
                                .lstm(
                                        x,
                                        new NDList(scope.zeros(state), scope.zeros(state)),
                                        weights,
                                        true,
                                        rnn.layers(),
                                        0,
                                        false,
                                        config.bidirectional(),
                                        true);
                return out.get(1).toFloatArray().length;
            }
        };
    }

    /** ONNX Runtime's Java API on the exported graph, with no DJL in between. */
    private IntSupplier rawOrt(float[] input, Shape shape) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] dims = shape.getShape();
        return () -> {
            try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), dims);
                    OrtSession.Result r = raw.run(Map.of(OnnxExport.INPUT, x))) {
                FloatBuffer y = ((OnnxTensor) r.get(0)).getFloatBuffer();
                float[] out = new float[y.remaining()];
                y.get(out);
                return out.length;
            } catch (OrtException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    /** The intra-op threads both engines were given (0: their default). */
    public int threads() {
        return threads;
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

    @Override
    public void close() {
        try {
            raw.close();
        } catch (OrtException e) {
            // closing a session does not fail in practice
        }
        rawOptions.close();
        ort.close();
        model.close();
    }
}
