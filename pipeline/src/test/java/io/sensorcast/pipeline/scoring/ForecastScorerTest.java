package io.sensorcast.pipeline.scoring;

import static io.sensorcast.pipeline.testutils.ScorerInputs.iso;
import static io.sensorcast.pipeline.testutils.ScorerInputs.made;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sensorcast.connectors.format.ForecastRecord;
import io.sensorcast.connectors.format.Published;
import io.sensorcast.connectors.format.ScoreRecord;
import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.model.interval.IntervalLevels;
import io.sensorcast.model.interval.OnlineIntervals;
import io.sensorcast.pipeline.operators.WindowForecast;
import io.sensorcast.pipeline.testutils.FlinkPojos;
import io.sensorcast.pipeline.testutils.ScorerInputs;
import io.sensorcast.pipeline.testutils.StateBackends;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ForecastScorerTest {

    private static final DetectorSettings SETTINGS = ScorerInputs.MINUTE_SETTINGS;

    /** The job's default sensor idle timeout, 7 days. */
    private static final long IDLE = 7 * 86_400_000L;

    private KeyedOneInputStreamOperatorTestHarness<String, WindowForecast, Published> harness;

    /**
     * The backend of {@link #harness} and of every harness {@link #harness(ForecastScorer)} makes.
     */
    private StateBackends backend = StateBackends.HASHMAP;

    @BeforeEach
    void open() throws Exception {
        harness = harness(scorer(Map.of(), IDLE));
        harness.open();
    }

    /** The test goes on with a fresh default scorer on {@code b}. */
    private void on(StateBackends b) throws Exception {
        harness.close();
        backend = b;
        open();
    }

    /** A scorer with the default interval levels and rate. */
    private static ForecastScorer scorer(Map<String, Double> groupThresholds, long idle) {
        return new ForecastScorer(
                SETTINGS,
                groupThresholds,
                idle,
                IntervalLevels.DEFAULT,
                OnlineIntervals.DEFAULT_RATE);
    }

    private KeyedOneInputStreamOperatorTestHarness<String, WindowForecast, Published> harness(
            ForecastScorer scorer) throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(scorer), WindowForecast::sensor, Types.STRING);
        h.setStateBackend(backend.backend());
        return h;
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    /** The scores out so far. */
    private List<ScoreRecord> scores() {
        return published(Published.Topic.SCORES).stream().map(Published::score).toList();
    }

    private List<Published> published(Published.Topic topic) {
        return harness.extractOutputValues().stream().filter(p -> p.topic() == topic).toList();
    }

    private void arrives(WindowForecast f) throws Exception {
        harness.processElement(new StreamRecord<>(f));
    }

    @Test
    void scoresEachForecastAgainstTheReadingThatFollowsIt() throws Exception {
        arrives(made("a", -60_000, 0, 9, 10));
        arrives(made("a", 0, 65_000, 12, 11.5)); // irregular sampling: 65 s, not 60 s
        arrives(made("a", 65_000, 125_000, 11, 11));
        List<ScoreRecord> out = scores();
        assertThat(out).hasSize(2);
        assertThat(out.get(0).predicted()).isEqualTo(10);
        assertThat(out.get(0).actual()).isEqualTo(12);
        assertThat(out.get(0).residual()).isCloseTo(2, within(1e-12));
        assertThat(out.get(0).originTs()).isEqualTo(iso(0));
        assertThat(out.get(0).targetTs()).isEqualTo(iso(65_000));
        assertThat(out.get(1).originTs()).isEqualTo(iso(65_000));
        assertThat(out.get(1).residual()).isCloseTo(-0.5, within(1e-12));
    }

    @Test
    void aForecastWhoseNextReadingNeverCameIsNotScored() throws Exception {
        arrives(made("a", -60_000, 0, 9, 10));
        // the reading at 60 s went missing: the forecast made at 0 s predicted it, not this one
        arrives(made("a", 60_000, 120_000, 12, 11));
        arrives(made("a", 120_000, 180_000, 11, 11));
        List<ScoreRecord> out = scores();
        assertThat(out)
                .singleElement()
                .satisfies(r -> assertThat(r.originTs()).isEqualTo(iso(120_000)));
    }

    @Test
    void flagsAJumpAfterQuietResiduals() throws Exception {
        long t = 0;
        for (int i = 0; i < 40; i++) {
            arrives(made("a", t - 60_000, t, 10 + (i % 2 == 0 ? 0.1 : -0.1), 10));
            t += 60_000;
        }
        assertThat(scores()).noneMatch(ScoreRecord::isAnomaly);
        arrives(made("a", t - 60_000, t, 25, 10));
        ScoreRecord last = scores().get(39);
        assertThat(last.isAnomaly()).isTrue();
        assertThat(last.score()).isGreaterThanOrEqualTo(0.99);
    }

    @Test
    void publishesEachForecastBeforeTheScoresItSettlesAndAFlaggedScoreAlsoAsAnAnomaly()
            throws Exception {
        long t = 0;
        for (int i = 0; i < 40; i++) {
            arrives(made("a", t - 60_000, t, 10 + (i % 2 == 0 ? 0.1 : -0.1), 10));
            t += 60_000;
        }
        arrives(made("a", t - 60_000, t, 25, 10));
        List<Published> out = harness.extractOutputValues();
        assertThat(published(Published.Topic.FORECASTS)).hasSize(41);
        assertThat(scores()).hasSize(40);
        // the last forecast, then the score of the one before it, then that score as an anomaly
        assertThat(out.subList(out.size() - 3, out.size()))
                .extracting(Published::topic)
                .containsExactly(
                        Published.Topic.FORECASTS,
                        Published.Topic.SCORES,
                        Published.Topic.ANOMALIES);
        assertThat(out.get(out.size() - 3).forecast().originTs()).isEqualTo(iso(t));
        assertThat(published(Published.Topic.ANOMALIES))
                .singleElement()
                .satisfies(p -> assertThat(p.score()).isEqualTo(scores().get(39)));
    }

    @Test
    void aLateReadingPassesThroughAndTouchesNoState() throws Exception {
        SensorReading late = SensorReading.of("a", 5_000, 3);
        arrives(WindowForecast.late(late));
        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(
                        p -> {
                            assertThat(p.topic()).isEqualTo(Published.Topic.LATE);
                            assertThat(p.reading()).isEqualTo(late);
                        });
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aGroupWithItsOwnThresholdIsFlaggedAtThatThreshold() throws Exception {
        harness.close();
        harness = harness(scorer(Map.of("a", 0.999), 86_400_000L));
        harness.open();
        long t = 0;
        for (int i = 0; i < 40; i++) {
            arrives(made("a", t - 60_000, t, 10 + (i % 2 == 0 ? 0.1 : -0.1), 10));
            arrives(made("b", t - 60_000, t, 10 + (i % 2 == 0 ? 0.1 : -0.1), 10));
            t += 60_000;
        }
        arrives(made("a", t - 60_000, t, 25, 10));
        arrives(made("b", t - 60_000, t, 25, 10));
        List<ScoreRecord> out = scores();
        ScoreRecord a = out.get(out.size() - 2);
        ScoreRecord b = out.get(out.size() - 1);
        // the same excursion: 0.9987, above the default 0.5 and below group a's 0.999
        assertThat(a.alertScore()).isCloseTo(b.alertScore(), within(1e-12)).isBetween(0.99, 0.999);
        assertThat(a.threshold()).isEqualTo(0.999);
        assertThat(a.isAnomaly()).isFalse();
        assertThat(b.threshold()).isEqualTo(0.5);
        assertThat(b.isAnomaly()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(StateBackends.class)
    void detectorStateSurvivesASnapshotAndRestore(StateBackends b) throws Exception {
        on(b);
        long t = 0;
        for (int i = 0; i < 400; i++) {
            arrives(made("a", t - 3_600_000, t, 10 + Math.sin(i), 10));
            t += 3_600_000;
        }
        var snapshot = harness.snapshot(1, 1);
        harness.close();
        harness = harness(scorer(Map.of(), IDLE));
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();
        arrives(made("a", t - 3_600_000, t, 25, 10));
        ScoreRecord restored = scores().get(0);
        assertThat(restored.isAnomaly()).isTrue(); // the restored range and history judged it
    }

    @ParameterizedTest
    @EnumSource(StateBackends.class)
    void aSensorSilentForTheIdleTimeoutLosesItsScoringState(StateBackends b) throws Exception {
        harness.close();
        backend = b;
        harness = harness(scorer(Map.of(), 3_600_000L));
        harness.open();
        long t = 0;
        for (int i = 0; i < 20; i++) {
            arrives(made("a", t - 60_000, t, 10 + i % 3, 10));
            t += 60_000;
        }
        t -= 60_000; // the newest reading's time
        assertThat(StateBackends.keysWith(harness, "scoring")).isPositive();
        harness.processWatermark(t + 3_600_000L - 1);
        assertThat(StateBackends.keysWith(harness, "scoring"))
                .isPositive(); // not silent long enough yet
        harness.processWatermark(t + 3_600_000L);
        assertThat(StateBackends.keysWith(harness, "scoring")).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void keepsOneForecastPerSensorWhateverItsHistory() throws Exception {
        for (long k = 0; k < 200; k++) {
            // every other reading went missing: no forecast is ever settled
            arrives(made("a", 2 * k * 1000 - 1000, 2 * k * 1000, k, k));
        }
        assertThat(scores()).isEmpty();
        // one value: the last forecast, the detector, the idle deadline
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    }

    @Test
    void itsStateIsAFlinkPojo() {
        FlinkPojos.assertPojoWithoutGenericFields(SensorScoring.class);
    }

    /**
     * Once a sensor's first errors calibrate them, its forecasts carry a band per level, the wider
     * level's around the narrower's, and each score reports the band its forecast gave: over a long
     * run of Gaussian errors they hold about their nominal share.
     */
    @Test
    void forecastsCarryCalibratedBandsAndScoresTheBandsTheyWereGiven() throws Exception {
        java.util.Random random = new java.util.Random(4);
        int n = 4_000;
        long t = 0;
        double value = 10;
        for (int i = 0; i < n; i++) {
            double next = 10 + 2 * random.nextGaussian();
            arrives(made("a", t - 60_000, t, value, 10)); // forecasts 10, the noise's mean
            value = next;
            t += 60_000;
        }
        List<ForecastRecord> forecasts =
                published(Published.Topic.FORECASTS).stream().map(Published::forecast).toList();
        assertThat(forecasts).hasSize(n);
        int calibrated = OnlineIntervals.WARM_UP; // the forecast at reading i follows i errors
        assertThat(forecasts.subList(0, calibrated))
                .allSatisfy(f -> assertThat(f.steps().get(0).intervals()).isEmpty());
        ForecastRecord.Step step = forecasts.get(n - 1).steps().get(0);
        assertThat(step.intervals())
                .extracting(ForecastRecord.Interval::level)
                .containsExactly(0.8, 0.95);
        double lo80 = step.intervals().get(0).lower().get("value");
        double hi80 = step.intervals().get(0).upper().get("value");
        double lo95 = step.intervals().get(1).lower().get("value");
        double hi95 = step.intervals().get(1).upper().get("value");
        assertThat(lo95).isLessThan(lo80).isLessThan(10);
        assertThat(hi95).isGreaterThan(hi80).isGreaterThan(10);

        List<ScoreRecord> scores = scores();
        assertThat(scores).hasSize(n - 1);
        int banded = 0;
        int inside80 = 0;
        int inside95 = 0;
        for (int i = 0; i < scores.size(); i++) {
            ScoreRecord s = scores.get(i);
            List<ForecastRecord.Interval> gave = forecasts.get(i).steps().get(0).intervals();
            assertThat(s.intervals()).hasSize(gave.size());
            for (int l = 0; l < gave.size(); l++) {
                assertThat(s.intervals().get(l).lower())
                        .isEqualTo(gave.get(l).lower().get("value"));
                assertThat(s.intervals().get(l).upper())
                        .isEqualTo(gave.get(l).upper().get("value"));
            }
            if (!s.intervals().isEmpty()) {
                banded++;
                inside80 += inside(s, 0) ? 1 : 0;
                inside95 += inside(s, 1) ? 1 : 0;
            }
        }
        assertThat(banded).isEqualTo(scores.size() - calibrated);
        assertThat((double) inside80 / banded).isCloseTo(0.80, within(0.03));
        assertThat((double) inside95 / banded).isCloseTo(0.95, within(0.02));
    }

    private static boolean inside(ScoreRecord s, int level) {
        ScoreRecord.Band b = s.intervals().get(level);
        return s.actual() >= b.lower() && s.actual() <= b.upper();
    }

    /**
     * A job restored with another number of levels recalibrates its sensors' bands instead of
     * failing on the state of the old ones.
     */
    @ParameterizedTest
    @EnumSource(StateBackends.class)
    void aRestoreWithOtherLevelsRecalibratesTheBands(StateBackends b) throws Exception {
        on(b);
        long t = 0;
        for (int i = 0; i < 40; i++, t += 60_000) {
            arrives(made("a", t - 60_000, t, i % 5, 2));
        }
        var snapshot = harness.snapshot(1, 1);
        harness.close();
        IntervalLevels three = IntervalLevels.of(List.of(0.5, 0.8, 0.95));
        harness =
                harness(
                        new ForecastScorer(
                                SETTINGS, Map.of(), IDLE, three, OnlineIntervals.DEFAULT_RATE));
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();
        for (int i = 0; i < 40; i++, t += 60_000) {
            arrives(made("a", t - 60_000, t, i % 5, 2));
        }
        List<ForecastRecord> forecasts =
                published(Published.Topic.FORECASTS).stream().map(Published::forecast).toList();
        assertThat(forecasts.get(forecasts.size() - 1).steps().get(0).intervals())
                .extracting(ForecastRecord.Interval::level)
                .containsExactly(0.5, 0.8, 0.95);
        assertThat(scores().get(scores().size() - 1).intervals()).hasSize(3);
    }

    /** With no levels the job gives no bands. */
    @Test
    void noLevelsGiveNoBands() throws Exception {
        harness.close();
        harness = harness(new ForecastScorer(SETTINGS, Map.of(), IDLE, IntervalLevels.NONE, 0.02));
        harness.open();
        long t = 0;
        for (int i = 0; i < 50; i++, t += 60_000) {
            arrives(made("a", t - 60_000, t, i % 3, 1));
        }
        assertThat(published(Published.Topic.FORECASTS))
                .allSatisfy(p -> assertThat(p.forecast().steps().get(0).intervals()).isEmpty());
        assertThat(scores()).allSatisfy(s -> assertThat(s.intervals()).isEmpty());
    }

    @Test
    void rejectsAThresholdOutOfRange() {
        assertThatThrownBy(
                        () ->
                                new DetectorSettings(
                                        3,
                                        Duration.ofMinutes(50),
                                        Duration.ofMinutes(10),
                                        5,
                                        0.001,
                                        5,
                                        0.02,
                                        5,
                                        0,
                                        Duration.ofMinutes(10),
                                        4032,
                                        0.5))
                .hasMessage("threshold must be in (0, 1), got 0.0");
    }
}
