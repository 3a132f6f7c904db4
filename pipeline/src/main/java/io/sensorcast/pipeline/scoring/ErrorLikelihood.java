package io.sensorcast.pipeline.scoring;

import io.sensorcast.pipeline.state.BulkArrays;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One stream of forecast errors judged against its own history: the error level (mean of the last
 * {@code shortWindow} errors) against a Gaussian of the levels of about the last {@code
 * errorHistory}, re-estimated every {@code reestimateInterval} — so an excursion shorter than that
 * does not mask itself by inflating the statistics it is judged by. Both spans become readings at
 * the sensor's interval ({@link #resolve}); the history is kept as sums of blocks of one
 * re-estimate's levels (a ring of {@code ⌈errorHistory / reestimateInterval⌉} blocks, 87 by default
 * at any interval): the same estimate as a ring of the levels themselves, at 1/100 of the state.
 * Part of {@link AnomalyDetector}; a Flink POJO.
 */
public final class ErrorLikelihood {

    @TypeInfo(BulkArrays.Doubles.class)
    public double[] errors; // ring: the last shortWindow errors

    public int errorsSize;
    public int errorsNext;

    @TypeInfo(BulkArrays.Doubles.class)
    public double[] blockSums; // ring: sums of complete blocks of reestimateEvery levels

    @TypeInfo(BulkArrays.Doubles.class)
    public double[] blockSquares; // and of their squares

    public int blocksSize;
    public int blocksNext;
    public double partialSum; // the block being filled
    public double partialSquares;
    public int partialCount;
    public long levelsSeen;
    public double mean;
    public double sigma;
    public int blockSize; // levels per block: one re-estimate's; 0 until resolved

    public ErrorLikelihood() {}

    public ErrorLikelihood(DetectorSettings s) {
        errors = new double[s.shortWindow()];
    }

    /**
     * Sizes the history for a sensor read every {@code intervalMs}: blocks of one re-estimate's
     * readings, as many as the error history holds. A history restored from an earlier state keeps
     * its blocks.
     */
    public void resolve(DetectorSettings s, long intervalMs) {
        blockSize = DetectorSettings.readings(s.reestimateInterval(), intervalMs, 1);
        if (blockSums == null) {
            int history = DetectorSettings.readings(s.errorHistory(), intervalMs, 1);
            int blocks = Math.max(1, (int) Math.ceil(history / (double) blockSize));
            blockSums = new double[blocks];
            blockSquares = new double[blocks];
        }
    }

    /**
     * Takes {@code error} in and returns {@code −log10} of the probability of an error level at
     * least this high under the history before it; 0 until {@code minHistory} levels and one block
     * are known. Only after {@link #resolve}.
     */
    public double logTail(double error, DetectorSettings s) {
        errors[errorsNext] = error;
        errorsNext = (errorsNext + 1) % errors.length;
        errorsSize = Math.min(errorsSize + 1, errors.length);
        double level = 0;
        for (int i = 0; i < errorsSize; i++) {
            level += errors[i];
        }
        level /= errorsSize;
        double l = 0;
        if (levelsSeen >= s.minHistory() && blocksSize > 0) {
            l = -AnomalyDetector.log10UpperTail((level - mean) / Math.max(sigma, s.sigmaFloor()));
        }
        levelsSeen++;
        partialSum += level;
        partialSquares += level * level;
        if (++partialCount >= blockSize) {
            blockSums[blocksNext] = partialSum;
            blockSquares[blocksNext] = partialSquares;
            blocksNext = (blocksNext + 1) % blockSums.length;
            blocksSize = Math.min(blocksSize + 1, blockSums.length);
            partialSum = 0;
            partialSquares = 0;
            partialCount = 0;
            estimate(blockSize);
        }
        return l;
    }

    private void estimate(int blockSize) {
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < blocksSize; i++) {
            sum += blockSums[i];
            squares += blockSquares[i];
        }
        double n = (double) blocksSize * blockSize;
        mean = sum / n;
        sigma = Math.sqrt(Math.max(squares / n - mean * mean, 0));
    }
}
