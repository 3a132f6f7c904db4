package io.sensorcast.model.serving;

/**
 * A loaded network's inference pass on one engine: standardised windows {@code (n, window,
 * features)} in, standardised forecasts {@code (n, horizon, targets)} out, both row-major. Safe for
 * concurrent calls.
 */
public interface ServingNetwork extends AutoCloseable {

    /** The engine that runs it, with its version (for logs and benchmarks). */
    String engine();

    float[] forward(float[] windows, int n);

    @Override
    void close();
}
