package io.sensorcast.pipeline.scoring;

/**
 * One stream of forecast errors judged against its own history: the error level (mean of the last
 * {@code shortWindow} errors) against a Gaussian of the levels of about the last {@code longWindow}
 * readings, re-estimated every {@code reestimateEvery} readings — so an excursion shorter than that
 * does not mask itself by inflating the statistics it is judged by. The history is kept as sums of
 * blocks of {@code reestimateEvery} levels (a ring of {@code ⌈longWindow / reestimateEvery⌉}
 * blocks): the same estimate as a ring of the levels themselves, at 1/50 of the state. Part of
 * {@link AnomalyDetector}; a Flink POJO.
 */
public final class ErrorLikelihood {

    public double[] errors; // ring: the last shortWindow errors
    public int errorsSize;
    public int errorsNext;
    public double[] blockSums; // ring: sums of complete blocks of reestimateEvery levels
    public double[] blockSquares; // and of their squares
    public int blocksSize;
    public int blocksNext;
    public double partialSum; // the block being filled
    public double partialSquares;
    public int partialCount;
    public long levelsSeen;
    public double mean;
    public double sigma;

    public ErrorLikelihood() {}

    public ErrorLikelihood(DetectorSettings s) {
        errors = new double[s.shortWindow()];
        int blocks = (s.longWindow() + s.reestimateEvery() - 1) / s.reestimateEvery();
        blockSums = new double[blocks];
        blockSquares = new double[blocks];
    }

    /**
     * Takes {@code error} in and returns {@code −log10} of the probability of an error level at
     * least this high under the history before it; 0 until {@code minHistory} levels and one block
     * are known.
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
        if (++partialCount == s.reestimateEvery()) {
            blockSums[blocksNext] = partialSum;
            blockSquares[blocksNext] = partialSquares;
            blocksNext = (blocksNext + 1) % blockSums.length;
            blocksSize = Math.min(blocksSize + 1, blockSums.length);
            partialSum = 0;
            partialSquares = 0;
            partialCount = 0;
            estimate(s.reestimateEvery());
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
