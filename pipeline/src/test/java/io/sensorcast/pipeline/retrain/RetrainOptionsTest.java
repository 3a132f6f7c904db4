package io.sensorcast.pipeline.retrain;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sensorcast.pipeline.job.ForecastOptions;
import io.sensorcast.pipeline.job.RetrainJob;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

class RetrainOptionsTest {

    @Test
    void aBadValueFailsNamingTheKeyAndTheAllowedRange() {
        Configuration c = new Configuration();
        c.setString("sensorcast.retrain.holdout", "0.9");
        assertThatThrownBy(() -> RetrainOptions.validate(c))
                .hasMessage("sensorcast.retrain.holdout must be in [0.05, 0.5], got 0.9");

        Configuration mode = new Configuration();
        mode.setString(RetrainOptions.MODE.key(), "hourly");
        assertThatThrownBy(() -> RetrainOptions.validate(mode))
                .hasMessage("sensorcast.retrain.mode must be once or periodic, got 'hourly'");

        Configuration range = new Configuration();
        range.set(RetrainOptions.FROM, "2026-02-01T00:00:00Z");
        range.set(RetrainOptions.TO, "2026-01-01T00:00:00Z");
        assertThatThrownBy(() -> RetrainOptions.validate(range))
                .hasMessageStartingWith(
                        "sensorcast.retrain.from must be before sensorcast.retrain.to");
        range.set(RetrainOptions.TO, "yesterday");
        assertThatThrownBy(() -> RetrainOptions.validate(range))
                .hasMessageStartingWith("sensorcast.retrain.to must be an ISO-8601 instant");

        Configuration interval = new Configuration();
        interval.set(RetrainOptions.INTERVAL, Duration.ofMillis(10));
        assertThatThrownBy(() -> RetrainOptions.validate(interval))
                .hasMessageStartingWith("sensorcast.retrain.interval must be at least 1 s");
    }

    @Test
    void aModelWindowLongerThanTheForecastJobKeepsFailsWhenTheJobIsBuilt() {
        Configuration c = new Configuration();
        c.set(RetrainOptions.WINDOW, 48);
        c.set(RetrainOptions.MIN_READINGS, 500);
        c.set(ForecastOptions.HISTORY, 24);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        assertThatThrownBy(
                        () ->
                                RetrainJob.build(
                                        env.fromData(
                                                io.sensorcast.connectors.format.SensorReading.of(
                                                        "s", 0, 1)),
                                        c,
                                        new BiLstmTrainer()))
                .hasMessage(
                        "sensorcast.retrain.window must be at most sensorcast.forecast.history"
                                + " (24), got 48");
    }
}
