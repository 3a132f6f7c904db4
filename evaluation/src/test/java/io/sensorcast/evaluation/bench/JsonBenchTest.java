package io.sensorcast.evaluation.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonBenchTest {

    /** The comparison is only fair if all three paths write what the job writes. */
    @Test
    void measuresEveryPathOnceTheyAllWriteTheSameBytes() {
        StringWriter printed = new StringWriter();
        List<JsonBench.Rates> rates = JsonBench.run(0.05, new PrintWriter(printed));
        assertThat(rates).extracting(JsonBench.Rates::record).containsExactly("forecast", "score");
        assertThat(rates)
                .allSatisfy(
                        r -> {
                            assertThat(r.writer()).isPositive();
                            assertThat(r.generator()).isPositive();
                            assertThat(r.mapper()).isPositive();
                        });
        assertThat(printed.toString())
                .containsPattern("(?m)^forecast +[0-9]+ +[0-9]+ +[0-9]+ +[0-9.]+$")
                .containsPattern("(?m)^score +[0-9]+ +[0-9]+ +[0-9]+ +[0-9.]+$");
    }

    @Test
    void refusesATimeOutOfRange() {
        assertThatThrownBy(() -> JsonBench.run(0, new PrintWriter(new StringWriter())))
                .hasMessage("--seconds must be in (0, 600], got 0.0");
    }
}
