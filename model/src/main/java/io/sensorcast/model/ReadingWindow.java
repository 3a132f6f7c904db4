package io.sensorcast.model;

/**
 * A window of one sensor's readings as a {@link ForecastModel} reads it: steps in time order,
 * oldest first, and columns by name. The model picks the columns it was trained on by name and
 * reads its own window length from the newest steps ({@link ForecastModel#forecast}).
 */
public interface ReadingWindow {

    /** Readings in the window. */
    int steps();

    /** Columns of each reading. */
    int columns();

    /** The name of column {@code c}. */
    String column(int c);

    /** The value of column {@code c} at step {@code step} (0 the oldest). */
    double value(int step, int c);
}
