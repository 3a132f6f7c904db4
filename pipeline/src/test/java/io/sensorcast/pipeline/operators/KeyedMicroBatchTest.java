package io.sensorcast.pipeline.operators;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link MicroBatchOperator#keyed}: a keyed function in front of the batch, with its state, timers
 * and side outputs, as the job runs {@link SequenceWindowFunction} in front of the forecaster.
 */
class KeyedMicroBatchTest {

    static final OutputTag<String> LATE = new OutputTag<>("late", Types.STRING);

    /** Elements are "key:value"; the key is the part before the colon. */
    static final KeySelector<String, String> KEY = s -> s.substring(0, s.indexOf(':'));

    /**
     * Holds each element in keyed state until the watermark passes its time, then emits it with its
     * key; an element at or behind the watermark goes to {@link #LATE}.
     */
    static final class HoldUntilWatermark extends KeyedProcessFunction<String, String, String> {
        private static final long serialVersionUID = 1L;
        private transient ListState<String> held;

        @Override
        public void open(OpenContext context) {
            held =
                    getRuntimeContext()
                            .getListState(new ListStateDescriptor<>("held", Types.STRING));
        }

        @Override
        public void processElement(String value, Context ctx, Collector<String> out)
                throws Exception {
            if (ctx.timestamp() <= ctx.timerService().currentWatermark()) {
                ctx.output(LATE, value);
                return;
            }
            held.add(value + "|" + ctx.timestamp());
            ctx.timerService().registerEventTimeTimer(ctx.timestamp());
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out)
                throws Exception {
            List<String> later = new ArrayList<>();
            for (String h : held.get()) {
                int bar = h.lastIndexOf('|');
                if (Long.parseLong(h.substring(bar + 1)) <= timestamp) {
                    out.collect(h.substring(0, bar) + "@" + ctx.getCurrentKey());
                } else {
                    later.add(h);
                }
            }
            held.update(later);
        }
    }

    /** Tags each element with the size of the batch it came in. */
    static final class BatchSizes implements BatchFunction<String, String, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public List<String> apply(List<String> batch) {
            return batch.stream().map(s -> s + "/" + batch.size()).toList();
        }
    }

    private KeyedTwoInputStreamOperatorTestHarness<String, String, String, String> harness;

    @BeforeEach
    void open() throws Exception {
        harness = newHarness(null);
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, String, String, String>
            newHarness(OperatorSubtaskState restored) throws Exception {
        var h =
                new KeyedTwoInputStreamOperatorTestHarness<String, String, String, String>(
                        MicroBatchOperator.keyed(new HoldUntilWatermark(), new BatchSizes(), 3, 20),
                        KEY,
                        null,
                        Types.STRING);
        h.setProcessingTime(1_000);
        if (restored != null) {
            h.initializeState(restored);
        }
        h.open();
        return h;
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void send(String value, long timestamp) throws Exception {
        harness.processElement1(new StreamRecord<>(value, timestamp));
    }

    @Test
    void aWatermarkReleasesTheKeyedFunctionsElementsIntoOneBatchBeforeItGoesOn() throws Exception {
        send("a:1", 5);
        send("b:2", 6);
        send("a:3", 20);
        assertThat(harness.getOutput()).isEmpty();

        harness.processWatermark1(new Watermark(10));
        assertThat(harness.getOutput())
                .containsExactly(
                        new StreamRecord<>("a:1@a/2"),
                        new StreamRecord<>("b:2@b/2"),
                        new Watermark(10));

        send("b:4", 8); // behind the watermark: the keyed function's side output
        assertThat(harness.getSideOutput(LATE)).containsExactly(new StreamRecord<>("b:4", 8));

        harness.setProcessingTime(2_000); // no batch delay cuts in: a:3 waits for its watermark
        assertThat(harness.extractOutputValues()).hasSize(2);
        harness.processWatermark1(new Watermark(Long.MAX_VALUE));
        assertThat(harness.extractOutputValues()).containsExactly("a:1@a/2", "b:2@b/2", "a:3@a/1");
    }

    @Test
    void aJoiningSideOutputGoesToTheMainOutputAtOnceWithItsTimestamp() throws Exception {
        harness.close();
        harness =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        MicroBatchOperator.keyed(new HoldUntilWatermark(), new BatchSizes(), 3, 20)
                                .joining(LATE, s -> "late " + s),
                        KEY,
                        null,
                        Types.STRING);
        harness.setProcessingTime(1_000);
        harness.open();
        send("a:1", 5);
        harness.processWatermark1(new Watermark(10));
        send("a:2", 12); // held for its watermark
        send("b:3", 8); // behind the watermark
        assertThat(harness.getOutput())
                .containsExactly(
                        new StreamRecord<>("a:1@a/1"),
                        new Watermark(10),
                        new StreamRecord<>("late b:3", 8));
        assertThat(harness.getSideOutput(LATE)).isNull();
    }

    @Test
    void aFullBatchGoesOutWhileTheWatermarksTimersFire() throws Exception {
        for (int i = 0; i < 4; i++) {
            send("k" + i + ":" + i, 5);
        }
        harness.processWatermark1(new Watermark(10)); // four timers at 5, in no set order
        List<String> out = harness.extractOutputValues();
        assertThat(out).hasSize(4);
        assertThat(out.subList(0, 3)).allMatch(s -> s.endsWith("/3"));
        assertThat(out.get(3)).endsWith("/1");
    }

    @Test
    void theKeyedStateAndTimersSurviveARestore() throws Exception {
        send("a:1", 20);
        OperatorSubtaskState snapshot = harness.snapshot(1, 1_000);
        harness.close();

        harness = newHarness(snapshot);
        harness.processWatermark1(new Watermark(30));
        assertThat(harness.extractOutputValues()).containsExactly("a:1@a/1");
    }

    /**
     * The job's upgrade path: a savepoint of the keyed function as an operator of its own (the
     * sequence operator before it moved into the forecasting operator, under the same uid) restores
     * into the keyed front, state and timers.
     */
    @Test
    void restoresTheStateOfTheKeyedFunctionRunAsAnOperatorOfItsOwn() throws Exception {
        OperatorSubtaskState snapshot;
        try (var before =
                new KeyedOneInputStreamOperatorTestHarness<String, String, String>(
                        new KeyedProcessOperator<>(new HoldUntilWatermark()), KEY, Types.STRING)) {
            before.open();
            before.processElement(new StreamRecord<>("a:1", 20));
            before.processElement(new StreamRecord<>("b:2", 25));
            snapshot = before.snapshot(1, 1_000);
        }
        harness.close();

        harness = newHarness(snapshot);
        harness.processWatermark1(new Watermark(30));
        assertThat(harness.extractOutputValues()).containsExactly("a:1@a/2", "b:2@b/2");
    }
}
