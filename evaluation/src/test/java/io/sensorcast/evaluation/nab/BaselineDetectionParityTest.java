package io.sensorcast.evaluation.nab;

import static io.sensorcast.pipeline.testutils.ScorerInputs.first;
import static io.sensorcast.pipeline.testutils.ScorerInputs.made;
import static org.assertj.core.api.Assertions.assertThat;

import io.sensorcast.connectors.format.Published;
import io.sensorcast.connectors.format.ScoreRecord;
import io.sensorcast.model.interval.IntervalLevels;
import io.sensorcast.model.interval.OnlineIntervals;
import io.sensorcast.pipeline.operators.WindowForecast;
import io.sensorcast.pipeline.scoring.DetectorSettings;
import io.sensorcast.pipeline.scoring.ForecastScorer;
import io.sensorcast.pipeline.testutils.ScorerInputs;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ablation driver scores exactly as the job's scorer does, so its figures are the job's. */
class BaselineDetectionParityTest {

    private static final DetectorSettings SETTINGS = ScorerInputs.MINUTE_SETTINGS;

    /** The job's default sensor idle timeout, 7 days. */
    private static final long IDLE = 7 * 86_400_000L;

    private KeyedOneInputStreamOperatorTestHarness<String, WindowForecast, Published> harness;

    @BeforeEach
    void open() throws Exception {
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new ForecastScorer(
                                        SETTINGS,
                                        Map.of(),
                                        IDLE,
                                        IntervalLevels.DEFAULT,
                                        OnlineIntervals.DEFAULT_RATE)),
                        WindowForecast::sensor,
                        Types.STRING);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void arrives(WindowForecast f) throws Exception {
        harness.processElement(new StreamRecord<>(f));
    }

    private List<ScoreRecord> scores() {
        return harness.extractOutputValues().stream()
                .filter(p -> p.topic() == Published.Topic.SCORES)
                .map(Published::score)
                .toList();
    }

    /**
     * The live scorer and the ablation driver ({@link BaselineDetection}, persistence) run the same
     * detector over the same readings: a sensor's first reading taken in unscored, every later one
     * scored against the reading before it. Their alert scores agree exactly.
     */
    @Test
    void scoresASeriesExactlyAsTheAblationDriverDoes() throws Exception {
        int n = SERIES;
        long[] times = times();
        double[] values = noisyWave(4);
        double[] expected =
                BaselineDetection.alerts(
                        times,
                        values,
                        BaselineDetection.Forecaster.PERSISTENCE,
                        new BaselineDetection.Schedule(3, 500, 3000, 3000),
                        SETTINGS);
        arrives(first("a", times[0], values[0]));
        for (int i = 1; i < n; i++) {
            arrives(made("a", times[i - 1], times[i], values[i], values[i]));
        }
        List<ScoreRecord> out = scores();
        assertThat(out).hasSize(n - 1);
        for (int i = 1; i < n; i++) {
            assertThat(out.get(i - 1).alertScore()).as("reading %d", i).isEqualTo(expected[i]);
        }
        assertThat(expected[700]).isGreaterThan(SETTINGS.threshold());
    }

    /**
     * A live run's forecasts, recorded, replay through the ablation driver to the scorer's own
     * alerts: a sensor's first window (its second reading) taken in unscored, every later reading
     * scored against the forecast made for it, here not persistence's.
     */
    @Test
    void recordedForecastsReplayToTheScorersAlerts() throws Exception {
        int n = SERIES;
        long[] times = times();
        double[] values = noisyWave(5);
        arrives(first("a", times[1], values[1]));
        for (int i = 2; i < n; i++) {
            double next = values[i] + 0.5 * (values[i] - values[i - 1]);
            arrives(made("a", times[i - 1], times[i], values[i], next));
        }
        List<ScoreRecord> out = scores();
        assertThat(out).hasSize(n - 2);
        double[] recorded = new double[n];
        recorded[0] = Double.NaN;
        recorded[1] = Double.NaN;
        for (int i = 2; i < n; i++) {
            recorded[i] = out.get(i - 2).predicted();
        }
        double[] replayed = BaselineDetection.alerts(times, values, recorded, SETTINGS);
        assertThat(replayed[0]).isZero();
        assertThat(replayed[1]).isZero();
        for (int i = 2; i < n; i++) {
            assertThat(replayed[i]).as("reading %d", i).isEqualTo(out.get(i - 2).alertScore());
        }
        assertThat(replayed[700]).isGreaterThan(SETTINGS.threshold());
    }

    private static final int SERIES = 900;

    /** {@link #SERIES} readings 5 minutes apart. */
    private static long[] times() {
        long[] t = new long[SERIES];
        for (int i = 0; i < SERIES; i++) {
            t[i] = i * 300_000L;
        }
        return t;
    }

    /** A noisy wave of {@link #SERIES} readings with a spike at reading 700. */
    private static double[] noisyWave(long seed) {
        java.util.Random random = new java.util.Random(seed);
        double[] v = new double[SERIES];
        for (int i = 0; i < SERIES; i++) {
            v[i] = 10 * Math.sin(i / 20.0) + random.nextGaussian() + (i == 700 ? 40 : 0);
        }
        return v;
    }
}
