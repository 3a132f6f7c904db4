package io.sensorcast.model.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TimeSplitTest {

    @Test
    void parsesRowBoundaries() {
        assertThat(TimeSplit.parse("8640,11520,14400", 17420))
                .isEqualTo(new TimeSplit(8640, 11520, 14400));
        assertThat(TimeSplit.parse("60, 80", 100)).isEqualTo(new TimeSplit(60, 80, 100));
    }

    @Test
    void splitsByFractionInTimeOrder() {
        TimeSplit split = TimeSplit.fractions(1000, 0.6, 0.2);
        assertThat(split.train()).isEqualTo(new TimeSplit.Period(0, 600));
        assertThat(split.validation()).isEqualTo(new TimeSplit.Period(600, 800));
        assertThat(split.test()).isEqualTo(new TimeSplit.Period(800, 1000));
    }

    @Test
    void rejectsOutOfOrderOrOutOfRangeSplits() {
        assertThatThrownBy(() -> TimeSplit.parse("100,50", 200))
                .hasMessageContaining("0 < trainEnd <= validationEnd <= testEnd");
        assertThatThrownBy(() -> TimeSplit.parse("10,20,300", 200))
                .hasMessageContaining("past the last row (200 rows)");
        assertThatThrownBy(() -> TimeSplit.parse("ten,20", 200))
                .hasMessageContaining("TRAIN_END,VALIDATION_END[,TEST_END]");
    }
}
