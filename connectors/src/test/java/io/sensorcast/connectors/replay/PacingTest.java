package io.sensorcast.connectors.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PacingTest {

    @Test
    void parsesSpeedRateAndMax() {
        assertThat(Pacing.parse("60x")).isEqualTo(new Pacing.Speed(60));
        assertThat(Pacing.parse("500/s")).isEqualTo(new Pacing.Rate(500));
        assertThat(Pacing.parse("max")).isEqualTo(new Pacing.Max());
        // an hour of event time at 60x is due one minute in
        assertThat(new Pacing.Speed(60).dueNanos(1, 3_600_000, 0)).isEqualTo(60_000_000_000L);
        assertThat(new Pacing.Rate(10).dueNanos(5, 0, 0)).isEqualTo(500_000_000L);
        assertThatThrownBy(() -> Pacing.parse("fast")).hasMessageContaining("max; got 'fast'");
    }
}
