package io.sensorcast.pipeline.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorcast.connectors.format.RetrainReport;
import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.model.ForecastModel;
import io.sensorcast.model.artifact.ModelArtifact;
import io.sensorcast.model.dataset.SeasonalChannels;
import io.sensorcast.pipeline.config.SharedOptions;
import io.sensorcast.pipeline.operators.ReadingRing;
import io.sensorcast.pipeline.operators.SensorWindow;
import io.sensorcast.pipeline.store.ModelStore;
import io.sensorcast.pipeline.store.ModelStoreOptions;
import io.sensorcast.pipeline.testutils.StateBackends;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.LongToDoubleFunction;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Bad inputs end in a clear skip reason, not a crash, and publish nothing. */
class GroupRetrainFunctionTest {

    private static final long STEP = 300_000;

    @TempDir Path root;

    private Configuration config(String store) {
        Configuration c = new Configuration();
        c.set(ModelStoreOptions.ROOT, store);
        c.set(RetrainOptions.WINDOW, 12);
        c.set(RetrainOptions.MIN_READINGS, 300);
        c.set(RetrainOptions.HIDDEN_SIZE, 8);
        c.set(RetrainOptions.EPOCHS, 2);
        return c;
    }

    private static RetrainReport round(Configuration config, int n, LongToDoubleFunction value)
            throws Exception {
        return round(config, new BiLstmTrainer(), n, value);
    }

    private static RetrainReport round(
            Configuration config, CandidateTrainer trainer, int n, LongToDoubleFunction value)
            throws Exception {
        var harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new GroupRetrainFunction(
                                        RetrainSettings.from(config), config, trainer)),
                        (SensorReading r) -> r.sensor,
                        Types.STRING);
        try {
            harness.open();
            for (long i = 0; i < n; i++) {
                long t = i * STEP;
                harness.processElement(
                        new StreamRecord<>(SensorReading.of("s", t, value.applyAsDouble(i)), t));
            }
            harness.processWatermark(new Watermark(Long.MAX_VALUE));
            List<RetrainReport> out = harness.extractOutputValues();
            assertThat(out).hasSize(1);
            return out.get(0);
        } finally {
            harness.close();
        }
    }

    /**
     * A round over far more readings than it trains on holds no more than its bound per sensor, on
     * either backend, and hands its trainer each sensor's newest.
     */
    @ParameterizedTest
    @EnumSource(StateBackends.class)
    void keepsAtMostItsBoundPerSensorAndTrainsOnTheNewest(StateBackends backend) throws Exception {
        Configuration c = config(root.toString());
        c.set(RetrainOptions.MAX_READINGS, 300);
        c.set(SharedOptions.SEASONAL_LOOKBACK, 0);
        RetrainSettings settings = RetrainSettings.from(c);
        assertThat(GroupRetrainFunction.perSensor(settings)).isEqualTo(600);
        List<Long> firstTrained = new java.util.ArrayList<>();
        CandidateTrainer trainer =
                (round, out) -> {
                    firstTrained.add(
                            java.time.Instant.parse(round.table().timestamp(0)).toEpochMilli());
                    // what it was handed is all this test asks; publishing needs a broker
                    throw new IllegalStateException("not trained: the test took its table");
                };
        var harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new GroupRetrainFunction(settings, c, trainer)),
                        (SensorReading r) -> "group",
                        Types.STRING);
        harness.setStateBackend(backend.backend());
        try {
            harness.open();
            for (long i = 0; i < 2000; i++) {
                for (String sensor : List.of("a", "b")) {
                    long t = i * STEP;
                    harness.processElement(
                            new StreamRecord<>(SensorReading.of(sensor, t, Math.sin(i / 9.0)), t));
                }
            }
            assertThat(entries(harness, "group")).isEqualTo(2 * 600);
            harness.processWatermark(new Watermark(Long.MAX_VALUE));
            RetrainReport r = harness.extractOutputValues().get(0);
            assertThat(r.reason()).contains("the test took its table");
            assertThat(r.readings()).isEqualTo(2 * 300);
            assertThat(firstTrained).containsExactly((2000 - 300) * STEP); // the newest 300
            assertThat(entries(harness, "group")).isZero();
        } finally {
            harness.close();
        }
    }

    /** The readings {@code group}'s state holds. */
    private static int entries(AbstractStreamOperatorTestHarness<?> harness, String group)
            throws Exception {
        KeyedStateBackend<Object> keyed = StateBackends.keyed(harness);
        keyed.setCurrentKey(group);
        MapState<String, SensorReading> readings =
                keyed.getPartitionedState(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        new MapStateDescriptor<>(
                                "sensor-readings",
                                Types.STRING,
                                TypeInformation.of(SensorReading.class)));
        int n = 0;
        for (String ignored : readings.keys()) {
            n++;
        }
        return n;
    }

    @Test
    void skipsAGroupWithTooLittleData() throws Exception {
        RetrainReport r = round(config(root.toString()), 100, i -> Math.sin(i));
        assertThat(r.decision()).isEqualTo(RetrainReport.SKIPPED);
        assertThat(r.reason())
                .isEqualTo(
                        "too little data: 100 readings, needs 300"
                                + " (sensorcast.retrain.min-readings)");
        assertThat(Files.list(root)).isEmpty();
    }

    @Test
    void skipsAConstantSeries() throws Exception {
        RetrainReport r = round(config(root.toString()), 400, i -> 42);
        assertThat(r.decision()).isEqualTo(RetrainReport.SKIPPED);
        assertThat(r.reason()).startsWith("constant series: 'value'");
    }

    @Test
    void skipsAGappySeries() throws Exception {
        var harnessConfig = config(root.toString());
        var harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new GroupRetrainFunction(
                                        RetrainSettings.from(harnessConfig),
                                        harnessConfig,
                                        new BiLstmTrainer())),
                        (SensorReading r) -> r.sensor,
                        Types.STRING);
        harness.open();
        long t = 0;
        for (int i = 0; i < 400; i++) {
            t += i % 10 == 9 ? 86_400_000 : STEP; // every tenth step a day missing
            harness.processElement(new StreamRecord<>(SensorReading.of("s", t, Math.sin(i)), t));
        }
        harness.processWatermark(new Watermark(Long.MAX_VALUE));
        RetrainReport r = harness.extractOutputValues().get(0);
        harness.close();
        assertThat(r.decision()).isEqualTo(RetrainReport.SKIPPED);
        assertThat(r.reason()).startsWith("gaps: 10.0% of s's steps");
    }

    @Test
    void skipsWhenTheStoreCannotBeWritten() throws Exception {
        Path notADirectory = Files.writeString(root.resolve("store"), "a file");
        Random noise = new Random(3);
        RetrainReport r = round(config(notADirectory.toString()), 600, i -> noise.nextGaussian());
        assertThat(r.decision()).as(r.reason()).isEqualTo(RetrainReport.SKIPPED);
        assertThat(r.reason()).startsWith("model store not writable");
        assertThat(r.candidateError()).isLessThan(r.baselineErrors().get("persistence"));
    }

    /** Trains the product candidate, then does something more with it. */
    abstract static class ProductTrainer implements CandidateTrainer {
        private static final long serialVersionUID = 1L;

        @Override
        public void train(Round round, Path out) throws Exception {
            new BiLstmTrainer().train(round, out);
            trained(out);
        }

        abstract void trained(Path candidate) throws Exception;
    }

    /** Trains as the product does and keeps a copy of each candidate in {@code copy}. */
    static final class KeepingTrainer extends ProductTrainer {
        private static final long serialVersionUID = 1L;
        private final String copy;

        KeepingTrainer(String copy) {
            this.copy = copy;
        }

        @Override
        void trained(Path out) throws Exception {
            Files.createDirectories(Path.of(copy));
            try (var files = Files.list(out)) {
                for (Path f : files.toList()) {
                    Files.copy(f, Path.of(copy).resolve(f.getFileName()));
                }
            }
        }
    }

    /**
     * A candidate reads the readings and their seasonal channels, forecasts the readings, and its
     * skip path reads the channels' newest steps; it forecasts a window the job makes.
     */
    @Test
    void candidatesReadTheSeasonalChannelsTheJobMakes() throws Exception {
        Path candidate = root.resolve("candidate");
        Random noise = new Random(5);
        Configuration config = config(root.resolve("store").toString());
        config.set(RetrainOptions.MARGIN, 0.9); // judged, never published: no broker to announce to
        RetrainReport r =
                round(
                        config,
                        new KeepingTrainer(candidate.toString()),
                        600,
                        i -> Math.sin(2 * Math.PI * i / 288) + 0.1 * noise.nextGaussian());
        assertThat(r.decision()).as(r.reason()).isEqualTo(RetrainReport.REJECTED);
        try (ForecastModel m = ModelArtifact.load(candidate)) {
            assertThat(m.manifest().features()).containsExactly("value", "value@1d", "value@7d");
            assertThat(m.manifest().targets()).containsExactly("value");
            assertThat(m.manifest().network().skipRecentSteps()).isEqualTo(4);
            ReadingRing ring = new ReadingRing(12 + 2016, new String[] {"temperature"});
            for (long i = 0; i < 400; i++) {
                ring.add(SensorReading.of("t", i * STEP, Math.sin(2 * Math.PI * i / 288)));
            }
            SensorWindow w =
                    ring.toWindow(
                            "t",
                            0,
                            12,
                            new SeasonalChannels(
                                    List.of(Duration.ofDays(1), Duration.ofDays(7)), 2016));
            float[][] f = m.forecast(List.of(w));
            assertThat(f[0]).hasSize(1);
            assertThat(Math.abs(f[0][0] - Math.sin(2 * Math.PI * 400 / 288))).isLessThan(0.5);
        }
    }

    /** Trains the product candidate, and meanwhile another round publishes its own. */
    static final class RacedTrainer extends ProductTrainer {
        private static final long serialVersionUID = 1L;
        private final String store;

        RacedTrainer(String store) {
            this.store = store;
        }

        @Override
        void trained(Path out) throws Exception {
            new ModelStore(store, 5).publish("s", out);
        }
    }

    /**
     * Two rounds at once: one publishes while the other trains. The slower one judged its candidate
     * without the version now newest, so it publishes nothing (before, it published over a version
     * it was never compared with).
     */
    @Test
    void aRoundOvertakenByAnotherPublishesNothing() throws Exception {
        Random noise = new Random(3);
        RetrainReport r =
                round(
                        config(root.toString()),
                        new RacedTrainer(root.toString()),
                        600,
                        i -> noise.nextGaussian());
        assertThat(r.decision()).as(r.reason()).isEqualTo(RetrainReport.SKIPPED);
        assertThat(r.reason())
                .isEqualTo(
                        "superseded: group s gained version 1 after version 0 was judged against;"
                                + " the next round judges anew");
        assertThat(new ModelStore(root.toString(), 5).list("s").valid())
                .extracting(ModelStore.Version::version)
                .containsExactly(1L);
    }
}
