package io.sensorcast.model.math;

/**
 * Multi-output least squares by the normal equations, accumulated one example at a time: {@code β =
 * (XᵀX + λnI)⁻¹ XᵀY}, with an intercept column appended. The tiny ridge {@code λ} only keeps the
 * system positive definite when a column is constant (as the last step of a window shifted to zero
 * is).
 */
public final class LeastSquares {

    private static final double RIDGE = 1e-6;

    private final int inputs;
    private final int outputs;
    private final double[][] xtx;
    private final double[][] xty;
    private final double[] row;
    private long count;

    public LeastSquares(int inputs, int outputs) {
        this.inputs = inputs;
        this.outputs = outputs;
        this.xtx = new double[inputs + 1][inputs + 1];
        this.xty = new double[inputs + 1][outputs];
        this.row = new double[inputs + 1];
    }

    /**
     * Adds one example: {@code x} of length {@code inputs}, {@code y} of length {@code outputs}.
     */
    public void add(float[] x, float[] y) {
        for (int a = 0; a < inputs; a++) {
            row[a] = x[a];
        }
        row[inputs] = 1.0;
        for (int a = 0; a <= inputs; a++) {
            double ra = row[a];
            double[] xa = xtx[a];
            for (int b = 0; b <= a; b++) {
                xa[b] += ra * row[b];
            }
            double[] ya = xty[a];
            for (int k = 0; k < outputs; k++) {
                ya[k] += ra * y[k];
            }
        }
        count++;
    }

    /**
     * The coefficients {@code [inputs + 1][outputs]}; the last row is the intercept.
     *
     * @throws IllegalStateException with fewer examples than coefficients per output
     */
    public double[][] solve() {
        if (count < inputs + 1) {
            throw new IllegalStateException(
                    "least squares needs at least " + (inputs + 1) + " examples, got " + count);
        }
        int n = inputs + 1;
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                a[i][j] = xtx[i][j];
                a[j][i] = xtx[i][j];
            }
            a[i][i] += RIDGE * count;
        }
        return solveCholesky(a, xty);
    }

    /** Solves {@code A X = B} for symmetric positive definite {@code A}. */
    private static double[][] solveCholesky(double[][] a, double[][] b) {
        int n = a.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = a[i][j];
                for (int k = 0; k < j; k++) {
                    sum -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    if (sum <= 0) {
                        throw new IllegalStateException(
                                "normal equations are not positive definite");
                    }
                    l[i][i] = Math.sqrt(sum);
                } else {
                    l[i][j] = sum / l[j][j];
                }
            }
        }
        int m = b[0].length;
        double[][] x = new double[n][m];
        double[] y = new double[n];
        for (int c = 0; c < m; c++) {
            for (int i = 0; i < n; i++) {
                double sum = b[i][c];
                for (int k = 0; k < i; k++) {
                    sum -= l[i][k] * y[k];
                }
                y[i] = sum / l[i][i];
            }
            for (int i = n - 1; i >= 0; i--) {
                double sum = y[i];
                for (int k = i + 1; k < n; k++) {
                    sum -= l[k][i] * x[k][c];
                }
                x[i][c] = sum / l[i][i];
            }
        }
        return x;
    }
}
