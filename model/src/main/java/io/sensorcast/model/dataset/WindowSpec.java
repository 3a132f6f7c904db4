package io.sensorcast.model.dataset;

/**
 * How a series is cut into training examples: {@code window} input rows, then {@code horizon}
 * target rows, one example every {@code stride} rows.
 */
public record WindowSpec(int window, int horizon, int stride) {

    public WindowSpec {
        if (window < 1 || window > 100_000) {
            throw new IllegalArgumentException("window must be in [1, 100000], got " + window);
        }
        if (horizon < 1 || horizon > 10_000) {
            throw new IllegalArgumentException("horizon must be in [1, 10000], got " + horizon);
        }
        if (stride < 1) {
            throw new IllegalArgumentException("stride must be >= 1, got " + stride);
        }
    }
}
