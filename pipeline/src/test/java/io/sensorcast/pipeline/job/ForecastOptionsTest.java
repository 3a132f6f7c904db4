package io.sensorcast.pipeline.job;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class ForecastOptionsTest {

    @Test
    void defaultsAreValid() {
        ForecastOptions.validate(new Configuration());
    }

    @Test
    void badValuesFailWhenTheJobIsBuiltNamingTheKeyAndRange() {
        Configuration window = new Configuration();
        window.set(ForecastOptions.WINDOW, 1);
        assertThatThrownBy(() -> ForecastOptions.validate(window))
                .hasMessage("sensorcast.forecast.window must be in [2, 100000], got 1");

        Configuration delay = new Configuration();
        delay.set(ForecastOptions.BATCH_DELAY, Duration.ZERO);
        assertThatThrownBy(() -> ForecastOptions.validate(delay))
                .hasMessage("sensorcast.forecast.batch-delay must be > 0, got PT0S");

        Configuration threshold = new Configuration();
        threshold.set(ForecastOptions.THRESHOLD, 1.5);
        assertThatThrownBy(() -> ForecastOptions.validate(threshold))
                .hasMessage("sensorcast.scoring.threshold must be in (0, 1], got 1.5");

        Configuration shortWindow = new Configuration();
        shortWindow.set(ForecastOptions.SCORE_LONG_WINDOW, 50);
        shortWindow.set(ForecastOptions.SCORE_SHORT_WINDOW, 60);
        assertThatThrownBy(() -> ForecastOptions.validate(shortWindow))
                .hasMessage("sensorcast.scoring.short-window must be in [1, 50], got 60");

        Configuration groups = new Configuration();
        groups.set(ForecastOptions.GROUPS, "pump-[=pumps");
        assertThatThrownBy(() -> ForecastOptions.validate(groups))
                .hasMessageStartingWith("sensorcast.models.groups has an invalid regex 'pump-['");
    }
}
