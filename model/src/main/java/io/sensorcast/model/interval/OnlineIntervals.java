package io.sensorcast.model.interval;

/**
 * Prediction intervals for one series' forecasts, calibrated online from its own errors: for each
 * horizon step, a running scale of the errors (their mean absolute value) and, per coverage level,
 * the lower and upper quantiles of the errors in units of that scale, each tracked by stochastic
 * approximation (Angelopoulos, Candès and Tibshirani's quantile tracking, 2023). A bound moves up
 * by {@code rate × (1 − tail)} scales when a reading falls above it and down by {@code rate × tail}
 * when not, so over any long run the share of readings above it tends to the tail whatever the
 * errors' distribution, and it follows a change of their shape; the scale follows a change of their
 * size within about {@link #SCALE_MEMORY} readings. State per series is bounded: a few numbers per
 * step and level, and the last {@code horizon} forecasts waiting for their readings.
 *
 * <p>Use: for each new reading, {@link #observe} it (it settles the forecasts that predicted it),
 * or {@link #breakChain} when readings went missing in between; then {@link #push} the forecast
 * made from it and read its {@link #bounds}. A Flink POJO, held in keyed state.
 */
public final class OnlineIntervals {

    /** Errors a step has seen before its band is given: its scale is an average of this many. */
    public static final int WARM_UP = 10;

    /** The scale is a mean over all errors up to this many, then an average of about as many. */
    public static final int SCALE_MEMORY = 300;

    /** The quantile trackers' step, in scales; chosen on synthetic series and ETTh2 (docs). */
    public static final double DEFAULT_RATE = 0.02;

    /** Per step: mean absolute error, recent-weighted. */
    public double[] scale;

    /** Per step: errors seen. */
    public int[] count;

    /** Per step and level ({@code step × levels + level}): lower quantile, in scales. */
    public double[] lower;

    /** Per step and level: upper quantile, in scales. */
    public double[] upper;

    /** The last {@code horizon} forecasts, slot {@code × horizon + step}. */
    public float[] pending;

    /**
     * The band each forecast in {@link #pending} was given, per step and level (slot {@code ×
     * horizon × levels + step × levels + level}), as offsets from the forecast: a tracker learns
     * from whether the band it gave was missed, not the band it would give now, or its long-run
     * coverage would not be the given bands' (they differ by the up to {@code horizon} readings a
     * forecast waits).
     */
    public float[] givenLower;

    /** The upper offsets, as {@link #givenLower}. */
    public float[] givenUpper;

    /** Slot of the newest forecast in {@link #pending}. */
    public int newest;

    /** How many forecasts in {@link #pending}, newest back, are each one reading apart. */
    public int chained;

    public OnlineIntervals() {}

    /** A series with no errors seen, its bounds starting at those of Gaussian errors. */
    public static OnlineIntervals create(int horizon, IntervalLevels levels) {
        if (horizon < 1) {
            throw new IllegalArgumentException("horizon must be >= 1, got " + horizon);
        }
        OnlineIntervals b = new OnlineIntervals();
        int n = levels.size();
        b.scale = new double[horizon];
        b.count = new int[horizon];
        b.lower = new double[horizon * n];
        b.upper = new double[horizon * n];
        b.pending = new float[horizon * horizon];
        b.givenLower = new float[horizon * horizon * n];
        b.givenUpper = new float[horizon * horizon * n];
        for (int l = 0; l < n; l++) {
            // a Gaussian's quantile in units of its mean absolute value, sqrt(2/pi) sigma
            double z = normalQuantile(1 - levels.tail(l)) * Math.sqrt(Math.PI / 2);
            for (int s = 0; s < horizon; s++) {
                b.lower[s * n + l] = -z;
                b.upper[s * n + l] = z;
            }
        }
        return b;
    }

    public int horizon() {
        return scale.length;
    }

    /** Whether this calibrates forecasts of {@code horizon} steps at {@code levels}' count. */
    public boolean fits(int horizon, IntervalLevels levels) {
        return scale.length == horizon && lower.length == horizon * levels.size();
    }

    /**
     * The series' next reading: the forecast made {@code k} readings ago (of the chained ones) had
     * it as its step {@code k}; each such error updates that step's scale and bounds.
     */
    public void observe(double actual, IntervalLevels levels, double rate) {
        int h = horizon();
        for (int k = 1; k <= chained; k++) {
            int slot = Math.floorMod(newest - k + 1, h);
            float predicted = pending[slot * h + k - 1];
            if (Float.isFinite(predicted) && Double.isFinite(actual)) {
                update(k - 1, actual - predicted, (slot * h + k - 1) * levels.size(), levels, rate);
            }
        }
    }

    /** Readings went missing since the last forecast: the waiting forecasts settle nothing. */
    public void breakChain() {
        chained = 0;
    }

    /** The forecast made from the reading just observed, one value per step. */
    public void push(float[] predicted, IntervalLevels levels) {
        int h = horizon();
        int n = levels.size();
        newest = (newest + 1) % h;
        System.arraycopy(predicted, 0, pending, newest * h, h);
        for (int k = 0; k < h; k++) {
            for (int l = 0; l < n; l++) {
                int given = (newest * h + k) * n + l;
                givenLower[given] = (float) (scale[k] * lower[k * n + l]);
                givenUpper[given] = (float) (scale[k] * upper[k * n + l]);
            }
        }
        chained = Math.min(h, chained + 1);
    }

    /** Whether {@code step} has seen {@link #WARM_UP} errors: until then it has no band. */
    public boolean ready(int step) {
        return count[step] >= WARM_UP;
    }

    /**
     * The bands around {@code predicted} at {@code step}, per level, into {@code lo} and {@code
     * hi}: each level's band holds the band of every lower level.
     */
    public void bounds(
            int step, double predicted, IntervalLevels levels, double[] lo, double[] hi) {
        int n = levels.size();
        double s = scale[step];
        double below = Double.POSITIVE_INFINITY;
        double above = Double.NEGATIVE_INFINITY;
        for (int l = 0; l < n; l++) {
            double a = Math.min(lower[step * n + l], upper[step * n + l]);
            double b = Math.max(lower[step * n + l], upper[step * n + l]);
            below = Math.min(below, predicted + s * a);
            above = Math.max(above, predicted + s * b);
            lo[l] = below;
            hi[l] = above;
        }
    }

    /**
     * {@code error} at {@code step} of a forecast whose bands there are at {@code given} in {@link
     * #givenLower} and {@link #givenUpper}: each tracker moves by whether its band was missed.
     */
    private void update(int step, double error, int given, IntervalLevels levels, double rate) {
        int n = levels.size();
        double s = scale[step];
        for (int l = 0; l < n; l++) {
            float below = givenLower[given + l];
            float above = givenUpper[given + l];
            if (below < above) { // a band given before any error had no width: nothing learnt
                double tail = levels.tail(l);
                int i = step * n + l;
                upper[i] += rate * ((error > above ? 1 : 0) - tail);
                lower[i] -= rate * ((error < below ? 1 : 0) - tail);
            }
        }
        int seen = ++count[step];
        scale[step] += (Math.abs(error) - s) / Math.min(seen, SCALE_MEMORY);
    }

    /** The standard normal's quantile (Acklam's rational approximation, 1.15e-9 relative). */
    static double normalQuantile(double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("p must be in (0, 1), got " + p);
        }
        double[] a = {
            -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
            1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00
        };
        double[] b = {
            -5.447609879822406e+01,
            1.615858368580409e+02,
            -1.556989798598866e+02,
            6.680131188771972e+01,
            -1.328068155288572e+01
        };
        double[] c = {
            -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
            -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00
        };
        double[] d = {
            7.784695709041462e-03,
            3.224671290700398e-01,
            2.445134137142996e+00,
            3.754408661907416e+00
        };
        double low = 0.02425;
        if (p < low) {
            double q = Math.sqrt(-2 * Math.log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - low) {
            return -normalQuantile(1 - p);
        }
        double q = p - 0.5;
        double r = q * q;
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5])
                * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
}
