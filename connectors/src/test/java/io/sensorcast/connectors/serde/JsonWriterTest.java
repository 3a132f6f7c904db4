package io.sensorcast.connectors.serde;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sensorcast.connectors.format.ForecastRecord;
import io.sensorcast.connectors.format.ScoreRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hand-written forecast and score JSON is byte for byte what Jackson's mapping writes with its
 * fast double writer, and reads back as the same record.
 */
class JsonWriterTest {

    private static final ObjectMapper JACKSON =
            JsonMapper.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

    private static final String[] AWKWARD = {
        "m1",
        "",
        "quote\" and \\ backslash",
        "tab\t new\n line\r feed\f back\b",
        "\u0000\u0001\u001f\u007f control",
        "Zürich – 東京 😀",
        "/slash/ <tag> & 'apos'",
    };

    private static final double[] NUMBERS = {
        0.0,
        -0.0,
        1.0,
        73.9,
        -1e-7,
        1.0e21,
        123456789.123,
        Double.MIN_VALUE,
        Double.MAX_VALUE,
        Math.PI,
        Double.NaN,
        Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY,
    };

    @Test
    void writesScoresAsJacksonDoes() throws Exception {
        Random random = new Random(1);
        for (int i = 0; i < 500; i++) {
            ScoreRecord r =
                    new ScoreRecord(
                            pick(AWKWARD, random),
                            random.nextInt(10) == 0 ? null : "2024-01-01T00:00:00Z",
                            "2024-01-01T00:05:00.123Z",
                            pick(AWKWARD, random),
                            number(random),
                            number(random),
                            number(random),
                            number(random),
                            number(random),
                            0.5,
                            random.nextBoolean(),
                            random.nextInt(10) == 0 ? null : pick(AWKWARD, random),
                            random.nextLong(),
                            number(random),
                            List.of());
            assertSame(JsonFormats.score(r), JACKSON.writeValueAsBytes(r));
            if (Double.isFinite(r.predicted() + r.actual() + r.residual() + r.score())
                    && Double.isFinite(r.alertScore() + r.latencyMs())) {
                assertThat(JsonFormats.mapper().readValue(JsonFormats.score(r), ScoreRecord.class))
                        .isEqualTo(r);
            }
        }
    }

    @Test
    void writesForecastsAsJacksonDoes() throws Exception {
        Random random = new Random(2);
        for (int i = 0; i < 500; i++) {
            List<ForecastRecord.Step> steps = new ArrayList<>();
            for (int s = random.nextInt(4); s > 0; s--) {
                Map<String, Double> predicted = new LinkedHashMap<>();
                for (int k = random.nextInt(3); k >= 0; k--) {
                    predicted.put(
                            pick(AWKWARD, random) + k,
                            random.nextInt(20) == 0 ? null : number(random));
                }
                steps.add(
                        new ForecastRecord.Step(
                                "2024-01-01T00:0" + s + ":00Z",
                                random.nextInt(20) == 0 ? null : predicted));
            }
            ForecastRecord f =
                    new ForecastRecord(
                            pick(AWKWARD, random),
                            "2024-01-01T00:00:00Z",
                            random.nextInt(20) == 0 ? null : steps,
                            pick(AWKWARD, random),
                            random.nextInt(5),
                            number(random));
            assertSame(JsonFormats.forecast(f), JACKSON.writeValueAsBytes(f));
        }
    }

    private static void assertSame(byte[] written, byte[] jackson) {
        assertThat(new String(written, StandardCharsets.UTF_8))
                .isEqualTo(new String(jackson, StandardCharsets.UTF_8));
        assertThat(written).isEqualTo(jackson);
    }

    private static String pick(String[] values, Random random) {
        return values[random.nextInt(values.length)];
    }

    private static double number(Random random) {
        return random.nextBoolean()
                ? NUMBERS[random.nextInt(NUMBERS.length)]
                : random.nextGaussian() * Math.pow(10, random.nextInt(20) - 10);
    }
}
