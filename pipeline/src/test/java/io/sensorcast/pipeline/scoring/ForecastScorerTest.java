package io.sensorcast.pipeline.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sensorcast.connectors.format.ForecastRecord;
import io.sensorcast.connectors.format.ScoreRecord;
import io.sensorcast.pipeline.operators.SensorWindow;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ForecastScorerTest {

    private static final DetectorSettings SETTINGS =
            new DetectorSettings(3, 50, 10, 5, 0.001, 5, 0.02, 5, 0.5, 10, 4032, 0.5);

    private KeyedTwoInputStreamOperatorTestHarness<String, ForecastRecord, Actual, ScoreRecord>
            harness;

    @BeforeEach
    void open() throws Exception {
        harness = harness(new ForecastScorer(SETTINGS));
        harness.open();
    }

    private static KeyedTwoInputStreamOperatorTestHarness<
                    String, ForecastRecord, Actual, ScoreRecord>
            harness(ForecastScorer scorer) throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(scorer), f -> f.sensor(), w -> w.sensor, Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static String iso(long t) {
        return Instant.ofEpochMilli(t).toString();
    }

    private static ForecastRecord forecast(String sensor, long origin, double predicted) {
        return new ForecastRecord(
                sensor,
                iso(origin),
                List.of(new ForecastRecord.Step(iso(origin + 60_000), Map.of("value", predicted))),
                sensor,
                1,
                0);
    }

    /** A two-step window whose newest reading is at {@code t} with {@code value}. */
    private static Actual window(String sensor, long previous, long t, double value) {
        SensorWindow w = new SensorWindow();
        w.sensor = sensor;
        w.timestamp = t;
        w.names = new String[] {"value"};
        w.timestamps = new long[] {previous, t};
        w.values = new double[] {0, value};
        return Actual.of(w);
    }

    private void forecastArrives(ForecastRecord f) throws Exception {
        harness.processElement1(new StreamRecord<>(f));
    }

    private void readingArrives(Actual w) throws Exception {
        harness.processElement2(new StreamRecord<>(w));
    }

    @Test
    void scoresAForecastAgainstTheNextReadingWhicheverArrivesFirst() throws Exception {
        forecastArrives(forecast("a", 0, 10));
        readingArrives(window("a", 0, 65_000, 12)); // irregular sampling: 65 s, not 60 s
        readingArrives(window("a", 65_000, 125_000, 11));
        forecastArrives(forecast("a", 65_000, 11.5));
        List<ScoreRecord> out = harness.extractOutputValues();
        assertThat(out).hasSize(2);
        assertThat(out.get(0).predicted()).isEqualTo(10);
        assertThat(out.get(0).actual()).isEqualTo(12);
        assertThat(out.get(0).residual()).isCloseTo(2, within(1e-12));
        assertThat(out.get(0).targetTs()).isEqualTo(iso(65_000));
        assertThat(out.get(1).originTs()).isEqualTo(iso(65_000));
        assertThat(out.get(1).residual()).isCloseTo(-0.5, within(1e-12));
    }

    @Test
    void flagsAJumpAfterQuietResiduals() throws Exception {
        long t = 0;
        for (int i = 0; i < 40; i++) {
            forecastArrives(forecast("a", t, 10));
            readingArrives(window("a", t, t + 60_000, 10 + (i % 2 == 0 ? 0.1 : -0.1)));
            t += 60_000;
        }
        assertThat(harness.extractOutputValues()).noneMatch(ScoreRecord::isAnomaly);
        forecastArrives(forecast("a", t, 10));
        readingArrives(window("a", t, t + 60_000, 25));
        ScoreRecord last = harness.extractOutputValues().get(40);
        assertThat(last.isAnomaly()).isTrue();
        assertThat(last.score()).isGreaterThanOrEqualTo(0.99);
    }

    @Test
    void aGroupWithItsOwnThresholdIsFlaggedAtThatThreshold() throws Exception {
        harness.close();
        harness = harness(new ForecastScorer(SETTINGS, Map.of("a", 0.999), 86_400_000L));
        harness.open();
        long t = 0;
        for (int i = 0; i < 40; i++) {
            forecastArrives(forecast("a", t, 10));
            readingArrives(window("a", t, t + 60_000, 10 + (i % 2 == 0 ? 0.1 : -0.1)));
            forecastArrives(forecast("b", t, 10));
            readingArrives(window("b", t, t + 60_000, 10 + (i % 2 == 0 ? 0.1 : -0.1)));
            t += 60_000;
        }
        forecastArrives(forecast("a", t, 10));
        readingArrives(window("a", t, t + 60_000, 25));
        forecastArrives(forecast("b", t, 10));
        readingArrives(window("b", t, t + 60_000, 25));
        List<ScoreRecord> out = harness.extractOutputValues();
        ScoreRecord a = out.get(out.size() - 2);
        ScoreRecord b = out.get(out.size() - 1);
        // the same excursion: 0.9987, above the default 0.5 and below group a's 0.999
        assertThat(a.alertScore()).isCloseTo(b.alertScore(), within(1e-12)).isBetween(0.99, 0.999);
        assertThat(a.threshold()).isEqualTo(0.999);
        assertThat(a.isAnomaly()).isFalse();
        assertThat(b.threshold()).isEqualTo(0.5);
        assertThat(b.isAnomaly()).isTrue();
    }

    @Test
    void detectorStateSurvivesASnapshotAndRestore() throws Exception {
        long t = 0;
        for (int i = 0; i < 400; i++) {
            forecastArrives(forecast("a", t, 10));
            readingArrives(window("a", t, t + 3_600_000, 10 + Math.sin(i)));
            t += 3_600_000;
        }
        var snapshot = harness.snapshot(1, 1);
        harness.close();
        harness = harness(new ForecastScorer(SETTINGS));
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();
        forecastArrives(forecast("a", t, 10));
        readingArrives(window("a", t, t + 3_600_000, 25));
        ScoreRecord restored = harness.extractOutputValues().get(0);
        assertThat(restored.isAnomaly()).isTrue(); // the restored range and history judged it
    }

    @Test
    void aSensorSilentForTheIdleTimeoutLosesItsScoringState() throws Exception {
        harness.close();
        harness = harness(new ForecastScorer(SETTINGS, Map.of(), 3_600_000L));
        harness.open();
        long t = 0;
        for (int i = 0; i < 20; i++) {
            forecastArrives(forecast("a", t, 10));
            readingArrives(window("a", t, t + 60_000, 10 + i % 3));
            t += 60_000;
        }
        assertThat(harness.numKeyedStateEntries()).isPositive();
        harness.processBothWatermarks(
                new org.apache.flink.streaming.api.watermark.Watermark(t + 3_600_000L - 1));
        assertThat(harness.numKeyedStateEntries()).isPositive(); // not silent long enough yet
        harness.processBothWatermarks(
                new org.apache.flink.streaming.api.watermark.Watermark(t + 3_600_000L));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void dropsEntriesThatCanNoLongerBeMetSoStateStaysSmall() throws Exception {
        for (long k = 0; k < 200; k++) {
            // every reading's forecast is lost: only readings arrive
            readingArrives(window("a", k * 1000, (k + 1) * 1000, k));
        }
        assertThat(harness.numKeyedStateEntries()).isLessThanOrEqualTo(2);
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void rejectsAThresholdOutOfRange() {
        assertThatThrownBy(
                        () ->
                                new DetectorSettings(
                                        3, 50, 10, 5, 0.001, 5, 0.02, 5, 0, 10, 4032, 0.5))
                .hasMessage("threshold must be in (0, 1), got 0.0");
    }
}
