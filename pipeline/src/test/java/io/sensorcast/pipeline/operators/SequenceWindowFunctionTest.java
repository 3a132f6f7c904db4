package io.sensorcast.pipeline.operators;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.model.dataset.SeasonalChannels;
import io.sensorcast.pipeline.testutils.FlinkPojos;
import io.sensorcast.pipeline.testutils.StateBackends;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Watermarks are driven explicitly; no sleeps. */
class SequenceWindowFunctionTest {

    private static final int WINDOW = 3;
    private static final long IDLE = 1_000;

    private KeyedOneInputStreamOperatorTestHarness<String, SensorReading, SensorWindow> harness;

    @BeforeEach
    void open() throws Exception {
        harness = opened(unopened(WINDOW, ReadingOrder.EVENT_TIME));
    }

    /** The function with no seasonal channels, windowing from its {@code minWindow}th reading. */
    private static KeyedOneInputStreamOperatorTestHarness<String, SensorReading, SensorWindow>
            unopened(int minWindow, ReadingOrder order) throws Exception {
        return unopened(minWindow, order, StateBackends.HASHMAP);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, SensorReading, SensorWindow>
            unopened(int minWindow, ReadingOrder order, StateBackends backend) throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new SequenceWindowFunction(
                                        WINDOW, minWindow, SeasonalChannels.NONE, IDLE, order)),
                        (SensorReading r) -> r.sensor,
                        Types.STRING);
        h.setStateBackend(backend.backend());
        return h;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, SensorReading, SensorWindow>
            opened(KeyedOneInputStreamOperatorTestHarness<String, SensorReading, SensorWindow> h)
                    throws Exception {
        h.open();
        return h;
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void send(String sensor, long ts, double value) throws Exception {
        harness.processElement(new StreamRecord<>(SensorReading.of(sensor, ts, value), ts));
    }

    private List<SensorWindow> windows() {
        return harness.extractOutputValues();
    }

    /**
     * The job's windows carry the seasonal channels a training table computes for the same rows
     * from the whole series ({@link SeasonalChannels#of}), though the ring keeps only the window
     * and the lookback and has wrapped many times: a model reads in service what it was trained on.
     */
    @Test
    void windowsCarryTheSeasonalChannelsOfTheWholeSeries() throws Exception {
        SeasonalChannels channels =
                new SeasonalChannels(List.of(Duration.ofMillis(30), Duration.ofMillis(70)), 7);
        var seasonal =
                new KeyedOneInputStreamOperatorTestHarness<String, SensorReading, SensorWindow>(
                        new KeyedProcessOperator<>(
                                new SequenceWindowFunction(
                                        4, 2, channels, IDLE, ReadingOrder.EVENT_TIME)),
                        r -> r.sensor,
                        Types.STRING);
        seasonal.open();
        int n = 40;
        long[] times = new long[n];
        double[][] values = new double[2][n];
        for (int i = 0; i < n; i++) {
            times[i] = 10L * (i + 1) + (i % 3); // irregular steps
            values[0][i] = i * i;
            values[1][i] = -i;
            seasonal.processElement(
                    new StreamRecord<>(
                            new SensorReading(
                                    "a",
                                    times[i],
                                    new String[] {"x", "y"},
                                    new double[] {values[0][i], values[1][i]}),
                            times[i]));
        }
        seasonal.processWatermark(10_000);
        List<SensorWindow> out = seasonal.extractOutputValues();
        seasonal.close();
        double[][] expected = channels.of(times, values);
        assertThat(out).hasSize(n - 1);
        SensorWindow last = out.get(n - 2);
        assertThat(last.columns()).isEqualTo(6);
        assertThat(last.column(2)).isEqualTo("x@30ms");
        assertThat(last.column(5)).isEqualTo("y@70ms");
        for (SensorWindow w : out) {
            int newest = java.util.Arrays.binarySearch(times, w.timestamp);
            for (int step = 0; step < w.steps(); step++) {
                int row = newest - w.steps() + 1 + step;
                for (int k = 0; k < 4; k++) {
                    assertThat(w.value(step, 2 + k))
                            .as("row %d channel %d", row, k)
                            .isEqualTo(expected[k][row]);
                }
                assertThat(w.value(step, 0)).isEqualTo(values[0][row]);
            }
        }
        // row 38 (392 ms) reaches a "week" back within its lookback (row 31 is at 321 <= 392 - 70):
        // its week channel is the first reading after 322 ms, row 32
        assertThat(last.value(2, 3)).isEqualTo(32.0 * 32);
    }

    @Test
    void emitsAWindowForEveryReadingThatCompletesOneInEventTimeOrder() throws Exception {
        // shuffled within the watermark: 30, 10, 20, 50, 40
        send("a", 30, 3);
        send("a", 10, 1);
        send("a", 20, 2);
        send("a", 50, 5);
        send("a", 40, 4);
        assertThat(windows()).isEmpty(); // nothing before the watermark passes
        harness.processWatermark(100);
        List<SensorWindow> out = windows();
        assertThat(out).extracting(w -> w.timestamp).containsExactly(30L, 40L, 50L);
        assertThat(out.get(0).values).containsExactly(1, 2, 3);
        assertThat(out.get(2).values).containsExactly(3, 4, 5);
        assertThat(out.get(2).timestamps).containsExactly(30, 40, 50);
        assertThat(out.get(0).sensor).isEqualTo("a");
    }

    @Test
    void releasesWaitingReadingsAsTheWatermarkPassesEach() throws Exception {
        send("a", 30, 3);
        send("a", 10, 1);
        send("a", 20, 2);
        send("a", 40, 4);
        harness.processWatermark(25); // 10 and 20: one window (min window = window = 3: none)
        assertThat(windows()).isEmpty();
        harness.processWatermark(30);
        assertThat(windows()).extracting(w -> w.timestamp).containsExactly(30L);
        send("a", 35, 3.5); // behind the earliest waiting (40): released first
        harness.processWatermark(45);
        assertThat(windows()).extracting(w -> w.timestamp).containsExactly(30L, 35L, 40L);
        assertThat(windows().get(2).values).containsExactly(3, 3.5, 4);
        // nothing waits now: only the idle timer is left
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    }

    @Test
    void itsStateIsAFlinkPojo() {
        FlinkPojos.assertPojoWithoutGenericFields(SensorSequence.class);
    }

    @Test
    void keepsSensorsApart() throws Exception {
        for (long t = 1; t <= 4; t++) {
            send("a", t, t);
            send("b", t, -t);
        }
        harness.processWatermark(10);
        assertThat(
                        windows().stream()
                                .collect(
                                        Collectors.groupingBy(
                                                w -> w.sensor, Collectors.counting())))
                .containsEntry("a", 2L)
                .containsEntry("b", 2L);
        assertThat(
                        windows().stream()
                                .filter(w -> w.sensor.equals("b"))
                                .findFirst()
                                .orElseThrow()
                                .values)
                .containsExactly(-1, -2, -3);
    }

    @Test
    void sendsLateReadingsToTheSideOutput() throws Exception {
        send("a", 10, 1);
        harness.processWatermark(20);
        send("a", 15, 9); // behind the watermark
        send("a", 20, 9); // at the watermark: late too
        send("a", 25, 2);
        harness.processWatermark(30);
        assertThat(harness.getSideOutput(SequenceWindowFunction.LATE))
                .extracting(r -> r.getValue().timestamp)
                .containsExactly(15L, 20L);
        assertThat(harness.numKeyedStateEntries()).isPositive();
    }

    @Test
    void aNewSensorIsWindowedFromItsMinWindowthReadingOn() throws Exception {
        harness.close();
        harness = opened(unopened(2, ReadingOrder.EVENT_TIME));
        for (long t = 10; t <= 40; t += 10) {
            send("a", t, t / 10);
        }
        harness.processWatermark(100);
        List<SensorWindow> out = windows();
        assertThat(out).extracting(w -> w.timestamp).containsExactly(20L, 30L, 40L);
        assertThat(out.get(0).values).containsExactly(1, 2);
        assertThat(out.get(0).timestamps).containsExactly(10, 20);
        assertThat(out.get(1).values).containsExactly(1, 2, 3);
        assertThat(out.get(2).values).containsExactly(2, 3, 4);
    }

    @Test
    void ignoresRepeatedTimestamps() throws Exception {
        send("a", 10, 1);
        send("a", 10, 100); // duplicate while pending
        harness.processWatermark(10);
        send("a", 20, 2);
        send("a", 20, 200); // duplicate while pending
        send("a", 30, 3);
        harness.processWatermark(40);
        assertThat(windows()).hasSize(1);
        assertThat(windows().get(0).values).containsExactly(1, 2, 3);
    }

    @ParameterizedTest
    @EnumSource(StateBackends.class)
    void stateStaysBoundedAndIsClearedWhenASensorFallsSilent(StateBackends b) throws Exception {
        harness.close();
        harness = opened(unopened(WINDOW, ReadingOrder.EVENT_TIME, b));
        for (long t = 1; t <= 500; t++) {
            send("a", t, t);
            harness.processWatermark(t);
        }
        // one entry (ring and idle deadline, nothing waiting) and the idle timer: nothing grows
        assertThat(StateBackends.keysWith(harness, "sequence")).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        assertThat(windows()).hasSize(500 - WINDOW + 1);
        assertThat(windows().get(windows().size() - 1).values).containsExactly(498, 499, 500);

        harness.processWatermark(500 + IDLE);
        assertThat(StateBackends.keysWith(harness, "sequence")).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();

        // the sensor comes back: it starts a fresh window
        send("a", 5000, 1);
        send("a", 5001, 2);
        harness.processWatermark(5001);
        assertThat(windows()).hasSize(500 - WINDOW + 1);
    }

    @Test
    void startsOverWhenASensorChangesItsFeatures() throws Exception {
        send("a", 1, 1);
        send("a", 2, 2);
        harness.processElement(
                new StreamRecord<>(
                        new SensorReading("a", 3, new String[] {"x", "y"}, new double[] {1, 2}),
                        3));
        harness.processWatermark(3);
        assertThat(windows()).isEmpty();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, SensorReading, SensorWindow>
            arrival(int minWindow) throws Exception {
        return opened(unopened(minWindow, ReadingOrder.ARRIVAL));
    }

    private static void send(
            KeyedOneInputStreamOperatorTestHarness<String, SensorReading, SensorWindow> h,
            String sensor,
            long ts,
            double value)
            throws Exception {
        h.processElement(new StreamRecord<>(SensorReading.of(sensor, ts, value), ts));
    }

    /**
     * In arrival order a reading newer than its sensor's newest is windowed at once, with no
     * watermark at all; an older one is late, one at the newest's time a duplicate.
     */
    @Test
    void inArrivalOrderAReadingIsWindowedAtOnceAndAnOlderOneIsLate() throws Exception {
        var h = arrival(2);
        send(h, "a", 10, 1);
        send(h, "a", 20, 2);
        assertThat(h.extractOutputValues()).extracting(w -> w.timestamp).containsExactly(20L);
        send(h, "a", 15, 9); // older than the newest: late
        send(h, "a", 20, 99); // the newest's time: a duplicate, dropped
        send(h, "b", 5, 7); // another sensor is not behind "a"
        send(h, "b", 6, 8);
        send(h, "a", 30, 3);
        List<SensorWindow> out = h.extractOutputValues();
        assertThat(out)
                .extracting(w -> w.sensor + "@" + w.timestamp)
                .containsExactly("a@20", "b@6", "a@30");
        assertThat(out.get(2).values).containsExactly(1, 2, 3);
        assertThat(h.getSideOutput(SequenceWindowFunction.LATE))
                .extracting(r -> r.getValue().timestamp)
                .containsExactly(15L);
        h.close();
    }

    /**
     * Arrival order ignores the watermark: a sensor far behind the others of its partition (a
     * reading at or behind the watermark) is windowed, not late.
     */
    @Test
    void inArrivalOrderAReadingBehindTheWatermarkIsNotLate() throws Exception {
        var h = arrival(2);
        h.processWatermark(500);
        send(h, "a", 100, 1);
        send(h, "a", 200, 2);
        assertThat(h.extractOutputValues()).extracting(w -> w.timestamp).containsExactly(200L);
        assertThat(h.getSideOutput(SequenceWindowFunction.LATE)).isNull();
        h.close();
    }

    /** The idle timer drops a silent sensor in arrival order as in event-time order. */
    @ParameterizedTest
    @EnumSource(StateBackends.class)
    void inArrivalOrderASilentSensorLosesItsState(StateBackends b) throws Exception {
        var h = opened(unopened(WINDOW, ReadingOrder.ARRIVAL, b));
        for (long t = 1; t <= 50; t++) {
            send(h, "a", t, t);
        }
        assertThat(h.extractOutputValues()).hasSize(50 - WINDOW + 1);
        assertThat(StateBackends.keysWith(h, "sequence")).isEqualTo(1);
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
        h.processWatermark(50 + IDLE);
        assertThat(StateBackends.keysWith(h, "sequence")).isZero();
        send(h, "a", 10, 1); // after expiry the sensor starts afresh: not late
        assertThat(h.getSideOutput(SequenceWindowFunction.LATE)).isNull();
        h.close();
    }

    /**
     * A sensor with readings waiting from event-time order (a savepoint taken in that order,
     * restored in arrival order) stays in event-time order until they are released: its window
     * stays in time order.
     */
    @Test
    void readingsWaitingFromEventTimeOrderAreReleasedBeforeArrivalOrderTakesOver()
            throws Exception {
        send("a", 10, 1);
        send("a", 20, 2);
        var snapshot = harness.snapshot(1, 1);
        harness.close();
        harness = unopened(2, ReadingOrder.ARRIVAL);
        harness.initializeState(snapshot);
        harness.open();
        send("a", 30, 3); // joins the waiting readings
        assertThat(windows()).isEmpty();
        harness.processWatermark(30);
        assertThat(windows()).extracting(w -> w.timestamp).containsExactly(20L, 30L);
        send("a", 40, 4); // nothing waits now: at once
        assertThat(windows()).extracting(w -> w.timestamp).containsExactly(20L, 30L, 40L);
        assertThat(windows().get(2).values).containsExactly(2, 3, 4);
    }
}
