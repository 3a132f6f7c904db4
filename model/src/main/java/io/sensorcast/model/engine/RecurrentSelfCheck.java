package io.sensorcast.model.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.sensorcast.model.block.BiRecurrentBlock;
import io.sensorcast.model.block.Cell;
import io.sensorcast.model.block.ReferenceRecurrent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A known-answer check of libtorch's fused recurrent op against the plain-Java gate equations
 * ({@link ReferenceRecurrent}), run once per JVM by {@link DjlRuntime} before any model is used.
 *
 * <p>Why: a CPU kernel can be wrong in silence. libtorch 2.7.1's oneDNN LSTM returns outputs off by
 * up to 0.2 (on outputs of magnitude 0.2) on AMD Zen 5, while GRU on the same machine is right; a
 * network computed that way is not the LSTM it claims to be, and every forecast, score and
 * retraining decision made with it is garbage. The cases cover both cells, both directions, two
 * layers, a batch larger than one, and one window of serving size. Weights and inputs are fixed
 * pseudo-random numbers, so the check is the same on every machine. The tolerance is far above
 * float32 rounding (about 1e-6 here) and far below what a wrong kernel produces.
 */
public final class RecurrentSelfCheck {

    /** Largest absolute difference accepted on the CPU: float32 rounding is about 1e-6. */
    public static final double CPU_TOLERANCE = 1e-4;

    /**
     * Largest absolute difference accepted on a GPU, where cuDNN may use TF32 tensor cores (10-bit
     * mantissa) for float32 recurrent ops by default.
     */
    public static final double GPU_TOLERANCE = 5e-3;

    /** One configuration of the op that is checked. */
    public record Case(
            Cell cell,
            int layers,
            boolean bidirectional,
            int batch,
            int time,
            int features,
            int hidden) {

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "%s %d layer(s) %s, batch %d, time %d, features %d, hidden %d",
                    cell,
                    layers,
                    bidirectional ? "bidirectional" : "forward",
                    batch,
                    time,
                    features,
                    hidden);
        }
    }

    /** The outcome of one case: the largest absolute difference between op and reference. */
    public record CaseResult(Case checked, double maxError) {}

    /**
     * The outcome of the whole check on one device.
     *
     * @param device where the op ran
     * @param tolerance the largest accepted difference
     * @param results one per case, in {@link #CASES} order
     */
    public record Report(String device, double tolerance, List<CaseResult> results) {

        public boolean passed() {
            return results.stream().allMatch(r -> r.maxError() <= tolerance);
        }

        /** The case with the largest difference. */
        public CaseResult worst() {
            CaseResult worst = results.get(0);
            for (CaseResult r : results) {
                if (!(r.maxError() <= worst.maxError())) {
                    worst = r;
                }
            }
            return worst;
        }

        /** One line: verdict, worst difference and case, tolerance. */
        public String summary() {
            CaseResult w = worst();
            return String.format(
                    Locale.ROOT,
                    "%s on %s: max |op - reference| %.2e (tolerance %.0e) over %d cases, worst: %s",
                    passed() ? "passed" : "FAILED",
                    device,
                    w.maxError(),
                    tolerance,
                    results.size(),
                    w.checked());
        }
    }

    /** Both cells, both directions, two layers, batch > 1, and a serving-sized window. */
    public static final List<Case> CASES =
            List.of(
                    new Case(Cell.LSTM, 2, true, 3, 9, 4, 6),
                    new Case(Cell.GRU, 2, true, 3, 9, 4, 6),
                    new Case(Cell.LSTM, 1, false, 2, 7, 3, 5),
                    new Case(Cell.LSTM, 1, true, 8, 48, 3, 32));

    private RecurrentSelfCheck() {}

    /** Runs every case on {@code device}. */
    public static Report run(Device device) {
        return run(device, 0);
    }

    /**
     * Runs every case on {@code device}, adding {@code outputPerturbation} to each of the op's
     * outputs before comparing: 0 in production; tests pass a nonzero value to stand in for a wrong
     * kernel and prove that the check, and everything behind it, refuses one.
     */
    public static Report run(Device device, double outputPerturbation) {
        List<CaseResult> results = new ArrayList<>(CASES.size());
        for (int i = 0; i < CASES.size(); i++) {
            results.add(
                    new CaseResult(
                            CASES.get(i), maxError(CASES.get(i), device, i, outputPerturbation)));
        }
        double tolerance = device.isGpu() ? GPU_TOLERANCE : CPU_TOLERANCE;
        return new Report(device.toString(), tolerance, List.copyOf(results));
    }

    private static double maxError(Case c, Device device, long seed, double perturbation) {
        Random random = new Random(0x5e15_0ca5L + seed);
        try (NDManager manager = NDManager.newBaseManager(device)) {
            BiRecurrentBlock block =
                    new BiRecurrentBlock(
                            c.cell(), c.layers(), c.hidden(), c.features(), 0f, c.bidirectional());
            block.initialize(
                    manager, DataType.FLOAT32, new Shape(c.batch(), c.time(), c.features()));
            List<float[]> flat = new ArrayList<>();
            double bound = 1 / Math.sqrt(c.hidden());
            for (Parameter p : block.flatWeights()) {
                float[] w = new float[Math.toIntExact(p.getArray().size())];
                for (int k = 0; k < w.length; k++) {
                    w[k] = (float) ((2 * random.nextDouble() - 1) * bound);
                }
                p.getArray().set(w);
                flat.add(w);
            }
            double[][][] x = new double[c.batch()][c.time()][c.features()];
            float[] xf = new float[c.batch() * c.time() * c.features()];
            int k = 0;
            for (double[][] sample : x) {
                for (double[] step : sample) {
                    for (int f = 0; f < step.length; f++) {
                        step[f] = (float) random.nextGaussian();
                        xf[k++] = (float) step[f];
                    }
                }
            }
            NDArray input = manager.create(xf, new Shape(c.batch(), c.time(), c.features()));
            NDList out =
                    block.forward(new ParameterStore(manager, false), new NDList(input), false);
            ReferenceRecurrent.Result expected =
                    ReferenceRecurrent.run(
                            c.cell(), c.layers(), c.hidden(), c.bidirectional(), flat, x);
            return Math.max(
                    maxError(out.get(0).toFloatArray(), expected.sequence(), perturbation),
                    maxError(out.get(1).toFloatArray(), expected.finalHidden(), perturbation));
        }
    }

    private static double maxError(float[] actual, double[][][] expected, double perturbation) {
        double max = 0;
        int k = 0;
        for (double[][] a : expected) {
            for (double[] b : a) {
                for (double v : b) {
                    double d = Math.abs(actual[k++] + perturbation - v);
                    // NaN from the op counts as the largest possible error
                    max = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(max, d);
                }
            }
        }
        if (k != actual.length) {
            return Double.POSITIVE_INFINITY; // the op returned a different shape
        }
        return max;
    }
}
