package io.sensorcast.pipeline.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sensorcast.model.dataset.SeasonalChannels;
import io.sensorcast.model.serving.ServingEngine;
import io.sensorcast.pipeline.config.SharedOptions;
import io.sensorcast.pipeline.operators.ReadingOrder;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class ForecastOptionsTest {

    @Test
    void defaultsAreValid() {
        ForecastSettings.of(new Configuration());
    }

    @Test
    void theServingEngineIsAnEnumOptionNamingItsChoices() {
        Configuration c = new Configuration();
        assertThat(ForecastOptions.registry(c).engine()).isEqualTo(ServingEngine.AUTO);
        c.setString("sensorcast.models.serving-engine", "pytorch");
        assertThat(ForecastOptions.registry(c).engine()).isEqualTo(ServingEngine.PYTORCH);
        c.setString("sensorcast.models.serving-engine", "tpu");
        assertThatThrownBy(() -> ForecastSettings.of(c))
                .hasMessage(
                        "sensorcast.models.serving-engine must be one of auto, onnxruntime,"
                                + " pytorch, got 'tpu'");
    }

    /** Live alerting is the default: readings forecast on arrival, not after the watermark. */
    @Test
    void readingsAreForecastOnArrivalUnlessEventTimeOrderIsAskedFor() {
        Configuration c = new Configuration();
        assertThat(ForecastSettings.of(c).order()).isEqualTo(ReadingOrder.ARRIVAL);
        for (String v : new String[] {"event_time", "EVENT_TIME"}) {
            c.setString("sensorcast.forecast.reading-order", v);
            assertThat(ForecastSettings.of(c).order()).as(v).isEqualTo(ReadingOrder.EVENT_TIME);
        }
        c.setString("sensorcast.forecast.reading-order", "sorted");
        assertThatThrownBy(() -> ForecastSettings.of(c))
                .hasMessage(
                        "sensorcast.forecast.reading-order must be one of arrival, event_time,"
                                + " got 'sorted'");
    }

    @Test
    void intervalLevelsDefaultTo80And95AndRefuseLevelsOutsideZeroToOne() {
        Configuration c = new Configuration();
        assertThat(ForecastSettings.of(c).intervalLevels().asList()).containsExactly(0.8, 0.95);
        c.setString("sensorcast.forecast.interval-levels", " 0.99, 0.5 ");
        assertThat(ForecastSettings.of(c).intervalLevels().asList()).containsExactly(0.5, 0.99);
        c.setString("sensorcast.forecast.interval-levels", "none");
        assertThat(ForecastSettings.of(c).intervalLevels().size()).isZero();
        for (String bad : new String[] {"0.8,1", "95%", "0.8,0.8"}) {
            c.setString("sensorcast.forecast.interval-levels", bad);
            assertThatThrownBy(() -> ForecastSettings.of(c))
                    .as(bad)
                    .hasMessageStartingWith(
                            "sensorcast.forecast.interval-levels must be levels in (0, 1),"
                                    + " comma-separated, or none; got '"
                                    + bad
                                    + "'");
        }
        Configuration rate = new Configuration();
        rate.setString("sensorcast.forecast.interval-rate", "2");
        assertThatThrownBy(() -> ForecastSettings.of(rate))
                .hasMessageContaining("sensorcast.forecast.interval-rate");
    }

    @Test
    void seasonalChannelsDefaultToADayAndAWeekAndRefuseBadLags() {
        SeasonalChannels defaults = SharedOptions.seasonalChannels(new Configuration());
        assertThat(defaults.names(List.of("value"))).containsExactly("value@1d", "value@7d");
        assertThat(defaults.lookback()).isEqualTo(2016);

        Configuration parsed = new Configuration();
        parsed.setString("sensorcast.forecast.seasonal-lags", "12 h;1 d");
        assertThat(SharedOptions.seasonalChannels(parsed).names(List.of("v")))
                .containsExactly("v@12h", "v@1d");

        Configuration off = new Configuration();
        off.set(SharedOptions.SEASONAL_LOOKBACK, 0);
        assertThat(SharedOptions.seasonalChannels(off).enabled()).isFalse();

        Configuration order = new Configuration();
        order.setString("sensorcast.forecast.seasonal-lags", "7 d;1 d");
        assertThatThrownBy(() -> ForecastSettings.of(order))
                .hasMessage(
                        "sensorcast.forecast.seasonal-lags: seasonal lags must increase, got PT168H"
                                + " then PT24H");

        Configuration lookback = new Configuration();
        lookback.set(SharedOptions.SEASONAL_LOOKBACK, -1);
        assertThatThrownBy(() -> ForecastSettings.of(lookback))
                .hasMessage(
                        "sensorcast.forecast.seasonal-lookback must be in [0, 1000000], got -1");
    }

    @Test
    void badValuesFailWhenTheJobIsBuiltNamingTheKeyAndRange() {
        Configuration window = new Configuration();
        window.set(ForecastOptions.HISTORY, 1);
        assertThatThrownBy(() -> ForecastSettings.of(window))
                .hasMessage("sensorcast.forecast.history must be in [2, 100000], got 1");

        Configuration minWindow = new Configuration();
        minWindow.set(ForecastOptions.HISTORY, 48);
        minWindow.set(ForecastOptions.MIN_WINDOW, 49);
        assertThatThrownBy(() -> ForecastSettings.of(minWindow))
                .hasMessage("sensorcast.forecast.min-window must be in [2, 48], got 49");

        Configuration delay = new Configuration();
        delay.set(ForecastOptions.BATCH_DELAY, Duration.ZERO);
        assertThatThrownBy(() -> ForecastSettings.of(delay))
                .hasMessage("sensorcast.forecast.batch-delay must be > 0, got PT0S");

        Configuration samples = new Configuration();
        samples.set(ForecastOptions.LATENCY_SAMPLES, 0);
        assertThatThrownBy(() -> ForecastSettings.of(samples))
                .hasMessage("sensorcast.metrics.latency-samples must be in [1, 10000000], got 0");

        Configuration threshold = new Configuration();
        threshold.set(ForecastOptions.THRESHOLD, 1.5);
        assertThatThrownBy(() -> ForecastSettings.of(threshold))
                .hasMessage("sensorcast.scoring.threshold must be in (0, 1), got 1.5");

        Configuration history = new Configuration();
        history.set(ForecastOptions.SCORE_ERROR_HISTORY, Duration.ofDays(1));
        history.set(ForecastOptions.SCORE_REESTIMATE_INTERVAL, Duration.ofDays(2));
        assertThatThrownBy(() -> ForecastSettings.of(history))
                .hasMessage(
                        "sensorcast.scoring.reestimate-interval must be in [1 ms, 1 d], got 2 d");

        Configuration refractory = new Configuration();
        refractory.set(ForecastOptions.SCORE_REFRACTORY, Duration.ofDays(400));
        assertThatThrownBy(() -> ForecastSettings.of(refractory))
                .hasMessage(
                        "sensorcast.scoring.refractory-period must be in [0 ms, 366 d], got 400"
                                + " d");

        Configuration weight = new Configuration();
        weight.set(ForecastOptions.SCORE_PERSISTENCE_WEIGHT, -0.1);
        assertThatThrownBy(() -> ForecastSettings.of(weight))
                .hasMessage(
                        "sensorcast.scoring.persistence-weight must be in [0.0, 1.0], got -0.1");

        Configuration groupThresholds = new Configuration();
        groupThresholds.set(ForecastOptions.GROUP_THRESHOLDS, "pumps=0.7;fans=1.5");
        assertThatThrownBy(() -> ForecastSettings.of(groupThresholds))
                .hasMessage(
                        "sensorcast.scoring.group-thresholds must be group=threshold pairs"
                                + " separated by ';' with thresholds in (0, 1), got 'fans=1.5'");

        Configuration parameters = new Configuration();
        parameters.setString("sensorcast.models.max-parameters", "0");
        assertThatThrownBy(() -> ForecastSettings.of(parameters))
                .hasMessage("sensorcast.models.max-parameters must be in [1, 10000000000], got 0");

        Configuration size = new Configuration();
        size.setString("sensorcast.models.max-artifact-size", "10 b");
        assertThatThrownBy(() -> ForecastSettings.of(size))
                .hasMessage(
                        "sensorcast.models.max-artifact-size must be in [1 kb, 64 gb], got 10 bytes");

        Configuration retry = new Configuration();
        retry.setString("sensorcast.models.load-retry-max-backoff", "0 s");
        assertThatThrownBy(() -> ForecastSettings.of(retry))
                .hasMessage("sensorcast.models.load-retry-max-backoff must be > 0, got PT0S");

        Configuration groups = new Configuration();
        groups.set(ForecastOptions.GROUPS, "pump-[=pumps");
        assertThatThrownBy(() -> ForecastSettings.of(groups))
                .hasMessageStartingWith("sensorcast.models.groups has an invalid regex 'pump-['");
    }
}
