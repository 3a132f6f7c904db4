package io.sensorcast.model.evaluation.nab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hand-worked cases. A file of 20 rows, 5 minutes apart: rows 0-2 are probationary (floor(0.15 x
 * 20) = 3); one window spans rows 10-14 (width 5).
 */
class NabScorerTest {

    private static final NabProfile STANDARD = new NabProfile("standard", 1.0, 0.11, 1.0);
    private static final LocalDateTime T0 = LocalDateTime.of(2014, 1, 1, 0, 0);

    private static LocalDateTime row(int i) {
        return T0.plusMinutes(5L * i);
    }

    private static NabScorer.DataFile file(String name, double[] scores) {
        List<LocalDateTime> ts = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            ts.add(row(i));
        }
        return new NabScorer.DataFile(
                name, ts, scores, List.of(new NabScorer.Window(row(10), row(14))));
    }

    private static double[] scores(int... detections) {
        double[] s = new double[20];
        for (int i = 0; i < detections.length; i += 2) {
            s[detections[i]] = detections[i + 1] / 10.0;
        }
        return s;
    }

    @Test
    void scaledSigmoidMatchesNabsReferencePoints() {
        assertThat(NabScorer.scaledSigmoid(-1.0)).isCloseTo(0.98661, within(1e-5));
        assertThat(NabScorer.scaledSigmoid(-0.5)).isCloseTo(0.84828, within(1e-5));
        assertThat(NabScorer.scaledSigmoid(0.0)).isEqualTo(0.0);
        assertThat(NabScorer.scaledSigmoid(1.0)).isCloseTo(-0.98661, within(1e-5));
        assertThat(NabScorer.scaledSigmoid(3.5)).isEqualTo(-1.0);
        assertThat(NabScorer.probationaryLength(20)).isEqualTo(3);
        assertThat(NabScorer.probationaryLength(10_000)).isEqualTo(750);
    }

    @Test
    void aDetectionAtTheWindowsLeftEdgeIsPerfect() {
        NabScorer.Result r = new NabScorer(STANDARD).score(List.of(file("a", scores(10, 10))));
        assertThat(r.score()).isCloseTo(1.0, within(1e-9));
        assertThat(r.perfectScore()).isCloseTo(1.0, within(1e-9));
        assertThat(r.normalized()).isCloseTo(100.0, within(1e-9));
    }

    /**
     * Detections: row 12 at 0.9 (in the window, position -(14-12+1)/5 = -0.6, worth S(-0.6)/S(-1) =
     * 0.917429), row 5 at 0.8 (before any window: -0.11), row 16 at 0.7 (2 rows past a window of
     * width 5: 0.11 S(2/4) = -0.093311), row 1 at 1.0 (probationary: ignored). Thresholds: 1.1 ->
     * -1 (the window missed); 0.9 -> 0.917429; 0.8 -> 0.807429; 0.7 -> 0.714117; 0.0 -> everything
     * detected: 1 - 7 x 0.11 + 0.11 x (S(.25) + S(.5) + S(.75) + S(1) + S(1.25)) = -0.247366. Best:
     * 0.9. The null detector's best is also "everything" (-0.247366 beats -1), the perfect one
     * scores 1, so the normalised score is 100 x (0.917429 + 0.247366) / (1 + 0.247366) = 93.3803.
     */
    @Test
    void theEarliestDetectionCountsAndFalsePositivesCostByDistance() {
        NabScorer scorer = new NabScorer(STANDARD);
        NabScorer.DataFile f = file("a", scores(12, 9, 5, 8, 16, 7, 1, 10));
        List<NabScorer.ThresholdScore> sweep = scorer.byThreshold(scorer.sweep(f, f.scores()));
        assertThat(sweep)
                .extracting(NabScorer.ThresholdScore::threshold)
                .containsExactly(1.1, 0.9, 0.8, 0.7, 0.0);
        assertThat(sweep)
                .extracting(NabScorer.ThresholdScore::score)
                .usingComparatorForType(
                        (a, b) -> Math.abs(a - b) < 1e-6 ? 0 : a.compareTo(b), Double.class)
                .containsExactly(-1.0, 0.917429, 0.807429, 0.714117, -0.247366);

        NabScorer.Result r = scorer.score(List.of(f));
        assertThat(r.threshold()).isEqualTo(0.9);
        assertThat(r.score()).isCloseTo(0.917429, within(1e-6));
        assertThat(r.nullScore()).isCloseTo(-0.247366, within(1e-6));
        assertThat(r.normalized()).isCloseTo(93.3803, within(1e-4));
    }

    /**
     * One threshold for the corpus: file a is best at 0.9 (0.917429), file b's only detection is at
     * 0.5 on its window's left edge (1.0). At 0.9 the corpus scores 0.917429 - 1 (b missed); at 0.5
     * it adds b's 1.0 and a's five other rows stay undetected: 0.917429 - 0.11 - 0.093311 + 1.0 =
     * 1.714118, the best.
     */
    @Test
    void oneThresholdIsChosenForTheWholeCorpus() {
        NabScorer.DataFile a = file("a", scores(12, 9, 5, 8, 16, 7));
        NabScorer.DataFile b = file("b", scores(10, 5));
        NabScorer.Result r = new NabScorer(STANDARD).score(List.of(a, b));
        assertThat(r.threshold()).isEqualTo(0.5);
        assertThat(r.byFile().get("a")).isCloseTo(0.714117, within(1e-6));
        assertThat(r.byFile().get("b")).isCloseTo(1.0, within(1e-9));
        assertThat(r.score()).isCloseTo(1.714117, within(1e-6));
    }

    /** Reward-low-FN doubles a miss: a detector that finds nothing scores -2 per window. */
    @Test
    void aMissCostsTheProfilesFnWeight() {
        NabProfile lowFn = new NabProfile("reward_low_FN_rate", 1.0, 0.11, 2.0);
        NabScorer scorer = new NabScorer(lowFn);
        NabScorer.DataFile f = file("a", new double[20]);
        assertThat(scorer.byThreshold(scorer.sweep(f, f.scores())).get(0).score()).isEqualTo(-2.0);
    }
}
