package io.sensorcast.pipeline.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.TwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Processing time is driven explicitly through the harness; no sleeps. */
class MicroBatchOperatorTest {

    /**
     * Tags each element with the size of the batch it came in, prefixed by the last control
     * message, which it keeps in operator state.
     */
    static final class BatchSizeTagger
            implements BatchFunction<Integer, String, String>, CheckpointedFunction {
        private static final long serialVersionUID = 1L;
        private transient String prefix;
        private transient ListState<String> state;

        @Override
        public List<String> apply(List<Integer> batch) {
            return batch.stream().map(i -> prefix + i + "/" + batch.size()).toList();
        }

        @Override
        public void control(String message) {
            prefix = message;
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) throws Exception {
            state.update(List.of(prefix));
        }

        @Override
        public void initializeState(FunctionInitializationContext context) throws Exception {
            state =
                    context.getOperatorStateStore()
                            .getListState(new ListStateDescriptor<>("prefix", String.class));
            prefix = "";
            for (String p : state.get()) {
                prefix = p;
            }
        }
    }

    private TwoInputStreamOperatorTestHarness<Integer, String, String> harness;

    @BeforeEach
    void open() throws Exception {
        harness = newHarness();
        harness.open();
    }

    private static TwoInputStreamOperatorTestHarness<Integer, String, String> newHarness()
            throws Exception {
        var h =
                new TwoInputStreamOperatorTestHarness<>(
                        MicroBatchOperator.of(new BatchSizeTagger(), 3, 20));
        h.setProcessingTime(1_000);
        return h;
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void send(int... values) throws Exception {
        for (int v : values) {
            harness.processElement1(new StreamRecord<>(v));
        }
    }

    private List<String> out() {
        return harness.extractOutputValues();
    }

    @Test
    void flushesWhenTheBatchIsFull() throws Exception {
        send(1, 2);
        assertThat(out()).isEmpty();
        send(3);
        assertThat(out()).containsExactly("1/3", "2/3", "3/3");
        send(4, 5, 6, 7);
        assertThat(out()).containsExactly("1/3", "2/3", "3/3", "4/3", "5/3", "6/3");
    }

    @Test
    void flushesAPartialBatchAfterTheDelay() throws Exception {
        send(1);
        harness.setProcessingTime(1_019);
        assertThat(out()).isEmpty();
        send(2);
        harness.setProcessingTime(1_020); // 20 ms after the first element
        assertThat(out()).containsExactly("1/2", "2/2");
    }

    @Test
    void aStaleTimerDoesNotCutTheNextBatchShort() throws Exception {
        send(1, 2, 3); // flushed by size; its timer (1_020) is now stale
        harness.setProcessingTime(1_010);
        send(4); // new batch, due at 1_030
        harness.setProcessingTime(1_020);
        assertThat(out()).containsExactly("1/3", "2/3", "3/3");
        harness.setProcessingTime(1_030);
        assertThat(out()).containsExactly("1/3", "2/3", "3/3", "4/1");
    }

    @Test
    void flushesBeforeACheckpointBarrierSoNothingBufferedIsLost() throws Exception {
        send(1, 2);
        harness.prepareSnapshotPreBarrier(1);
        assertThat(out()).containsExactly("1/2", "2/2");
    }

    @Test
    void flushesAtTheEndOfInput() throws Exception {
        send(7);
        harness.endInput1();
        assertThat(out()).containsExactly("7/1");
    }

    @Test
    void controlMessagesReachTheFunctionBetweenBatchesAndSurviveARestore() throws Exception {
        send(1);
        harness.processElement2(new StreamRecord<>("v2:"));
        send(2, 3);
        assertThat(out()).containsExactly("v2:1/3", "v2:2/3", "v2:3/3");

        OperatorSubtaskState snapshot = harness.snapshot(1, 1_000);
        harness.close();
        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        send(4);
        harness.endInput1();
        assertThat(out()).containsExactly("v2:4/1");
    }

    @Test
    void aWatermarkClosesTheBatchBeforeItAndControlWatermarksAreIgnored() throws Exception {
        harness.processWatermark2(new Watermark(Long.MAX_VALUE));
        harness.processWatermark1(new Watermark(5));
        assertThat(harness.getOutput()).containsExactly(new Watermark(5));
        send(1, 2);
        harness.processWatermark1(new Watermark(10)); // no wait for the delay or a third element
        send(3, 4, 5);
        assertThat(harness.getOutput())
                .containsExactly(
                        new Watermark(5),
                        new StreamRecord<>("1/2"),
                        new StreamRecord<>("2/2"),
                        new Watermark(10),
                        new StreamRecord<>("3/3"),
                        new StreamRecord<>("4/3"),
                        new StreamRecord<>("5/3"));
        harness.setProcessingTime(1_020); // the first batch's timer finds nothing to flush
        assertThat(out()).hasSize(5);
    }

    @Test
    void rejectsABatchSizeOrDelayOutOfRange() {
        assertThatThrownBy(() -> MicroBatchOperator.of(new BatchSizeTagger(), 0, 20))
                .hasMessage("batch size must be >= 1, got 0");
        assertThatThrownBy(() -> MicroBatchOperator.of(new BatchSizeTagger(), 1, 0))
                .hasMessage("batch delay must be >= 1 ms, got 0");
    }
}
