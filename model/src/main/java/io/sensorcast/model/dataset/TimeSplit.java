package io.sensorcast.model.dataset;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Train, validation and test periods as row ranges in time order: train {@code [0, trainEnd)},
 * validation {@code [trainEnd, validationEnd)}, test {@code [validationEnd, testEnd)}.
 *
 * <p>A window belongs to the period that holds all of its target rows; its inputs may reach back
 * into the previous period (they were observed before the forecast was made), never forward.
 */
public record TimeSplit(int trainEnd, int validationEnd, int testEnd) {

    @JsonCreator
    public TimeSplit(
            @JsonProperty("trainEnd") int trainEnd,
            @JsonProperty("validationEnd") int validationEnd,
            @JsonProperty("testEnd") int testEnd) {
        if (trainEnd <= 0 || validationEnd < trainEnd || testEnd < validationEnd) {
            throw new IllegalArgumentException(
                    "split must satisfy 0 < trainEnd <= validationEnd <= testEnd, got "
                            + trainEnd
                            + ", "
                            + validationEnd
                            + ", "
                            + testEnd);
        }
        this.trainEnd = trainEnd;
        this.validationEnd = validationEnd;
        this.testEnd = testEnd;
    }

    /** Fractions of {@code rows}: e.g. 0.6 / 0.2 leaves the last 20% for test. */
    public static TimeSplit fractions(int rows, double train, double validation) {
        if (!(train > 0 && validation >= 0 && train + validation <= 1)) {
            throw new IllegalArgumentException(
                    "split fractions must satisfy train > 0, validation >= 0, train + validation"
                            + " <= 1; got "
                            + train
                            + ", "
                            + validation);
        }
        int trainEnd = (int) Math.floor(rows * train);
        int validationEnd = (int) Math.floor(rows * (train + validation));
        return new TimeSplit(trainEnd, validationEnd, rows);
    }

    /** Parses {@code TRAIN_END,VALIDATION_END[,TEST_END]} (row indices, exclusive). */
    public static TimeSplit parse(String spec, int rows) {
        String[] parts = spec.split(",");
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException(
                    "split must be TRAIN_END,VALIDATION_END[,TEST_END], got '" + spec + "'");
        }
        try {
            int train = Integer.parseInt(parts[0].trim());
            int validation = Integer.parseInt(parts[1].trim());
            int test = parts.length == 3 ? Integer.parseInt(parts[2].trim()) : rows;
            if (test > rows) {
                throw new IllegalArgumentException(
                        "split TEST_END " + test + " is past the last row (" + rows + " rows)");
            }
            return new TimeSplit(train, validation, test);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "split must be TRAIN_END,VALIDATION_END[,TEST_END], got '" + spec + "'", e);
        }
    }

    public Period train() {
        return new Period(0, trainEnd);
    }

    public Period validation() {
        return new Period(trainEnd, validationEnd);
    }

    public Period test() {
        return new Period(validationEnd, testEnd);
    }

    /** Rows {@code [from, to)} that a window's target rows must lie in. */
    public record Period(int from, int to) {}
}
