package io.sensorcast.pipeline.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorcast.connectors.format.SensorReading;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

/** The readings' event time and watermarks as the job assigns them in its source. */
class ForecastJobEventTimeTest {

    private static final long HOUR = 3_600_000L;

    @Test
    void aReadingStampedAheadOfTheClockCannotMakeTheNextSensorsLate() {
        Configuration config = new Configuration();
        config.set(ForecastOptions.OUT_OF_ORDERNESS, Duration.ofSeconds(30));
        WatermarkStrategy<SensorReading> strategy =
                ForecastJob.eventTime(ForecastSettings.of(config), (r, ts) -> r.timestamp);
        TimestampAssigner<SensorReading> assigner = strategy.createTimestampAssigner(() -> null);
        WatermarkGenerator<SensorReading> generator =
                strategy.createWatermarkGenerator(new WatermarkGeneratorSupplierContextStub());
        List<Long> watermarks = new ArrayList<>();
        WatermarkOutput out =
                new WatermarkOutput() {
                    @Override
                    public void emitWatermark(Watermark w) {
                        watermarks.add(w.getTimestamp());
                    }

                    @Override
                    public void markIdle() {}

                    @Override
                    public void markActive() {}
                };

        long before = System.currentTimeMillis();
        SensorReading ahead = SensorReading.of("ahead", before + 2 * HOUR, 1);
        long t = assigner.extractTimestamp(ahead, before);
        assertThat(t).isBetween(before, System.currentTimeMillis()); // the clock, not 2 h ahead
        generator.onEvent(ahead, t, out);
        generator.onPeriodicEmit(out);
        long watermark = watermarks.get(watermarks.size() - 1);
        // a reading sent a moment later with an honest clock is not behind the watermark
        SensorReading next = SensorReading.of("on-time", System.currentTimeMillis(), 2);
        assertThat(next.timestamp).isGreaterThan(watermark);
        assertThat(watermark).isLessThan(System.currentTimeMillis() - 29_000L);

        SensorReading history = SensorReading.of("history", 1_386_000_000_000L, 3);
        assertThat(assigner.extractTimestamp(history, 0)).isEqualTo(history.timestamp);
    }

    private static final class WatermarkGeneratorSupplierContextStub
            implements org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier.Context {
        @Override
        public org.apache.flink.metrics.MetricGroup getMetricGroup() {
            return UnregisteredMetricsGroup.createOperatorMetricGroup();
        }

        @Override
        public org.apache.flink.util.clock.RelativeClock getInputActivityClock() {
            return org.apache.flink.util.clock.SystemClock.getInstance();
        }
    }
}
