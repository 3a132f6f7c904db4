package io.sensorcast.connectors.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorcast.connectors.serde.JsonFormats;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutputFormatsTest {

    @Test
    void forecastsUseTheDocumentedFieldNamesAndRoundTrip() throws Exception {
        ForecastRecord f =
                new ForecastRecord(
                        "m1",
                        "2013-12-02T21:15:00Z",
                        List.of(
                                new ForecastRecord.Step(
                                        "2013-12-02T21:20:00Z", Map.of("value", 74.1))),
                        "m1",
                        3,
                        12.5);
        byte[] json = JsonFormats.json(f);
        JsonNode node = JsonFormats.mapper().readTree(json);
        assertThat(node.fieldNames())
                .toIterable()
                .containsExactly(
                        "sensor",
                        "origin_ts",
                        "steps",
                        "model_group",
                        "model_version",
                        "latency_ms");
        assertThat(node.at("/steps/0/target_ts").asText()).isEqualTo("2013-12-02T21:20:00Z");
        assertThat(node.at("/steps/0/predicted/value").asDouble()).isEqualTo(74.1);
        assertThat(JsonFormats.mapper().readValue(json, ForecastRecord.class)).isEqualTo(f);
    }

    @Test
    void scoresUseTheDocumentedFieldNamesAndRoundTrip() throws Exception {
        ScoreRecord s =
                new ScoreRecord(
                        "m1",
                        "2013-12-02T21:15:00Z",
                        "2013-12-02T21:20:00Z",
                        "value",
                        74.1,
                        80.0,
                        5.9,
                        0.997,
                        0.997,
                        0.99,
                        true,
                        "fleet",
                        2,
                        4.0);
        byte[] json = JsonFormats.json(s);
        JsonNode node = JsonFormats.mapper().readTree(json);
        assertThat(node.fieldNames())
                .toIterable()
                .containsExactly(
                        "sensor",
                        "origin_ts",
                        "target_ts",
                        "target",
                        "predicted",
                        "actual",
                        "residual",
                        "score",
                        "alert_score",
                        "threshold",
                        "is_anomaly",
                        "model_group",
                        "model_version",
                        "latency_ms");
        assertThat(node.get("is_anomaly").asBoolean()).isTrue();
        assertThat(JsonFormats.mapper().readValue(json, ScoreRecord.class)).isEqualTo(s);
    }
}
