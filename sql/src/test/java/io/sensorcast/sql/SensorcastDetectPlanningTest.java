package io.sensorcast.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.ValidationException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad arguments of {@code SENSORCAST_DETECT} fail when the statement is planned, naming the
 * argument or option and what it allows; nothing runs.
 */
class SensorcastDetectPlanningTest {

    @TempDir Path store;

    private TableEnvironment sql;

    @BeforeEach
    void planner() {
        sql = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        sql.createTemporarySystemFunction(SensorcastDetect.NAME, SensorcastDetect.class);
        sql.executeSql(
                "CREATE TEMPORARY TABLE readings (sensor STRING, ts TIMESTAMP_LTZ(3),"
                        + " `value` DOUBLE, label STRING,"
                        + " WATERMARK FOR ts AS ts - INTERVAL '30' SECOND)"
                        + " WITH ('connector' = 'kafka', 'topic' = 'sensorcast.readings',"
                        + " 'properties.bootstrap.servers' = 'localhost:1',"
                        + " 'scan.startup.mode' = 'earliest-offset', 'format' = 'json')");
    }

    private String plan(String arguments) {
        return sql.explainSql(
                "SELECT * FROM SENSORCAST_DETECT(input => TABLE readings PARTITION BY sensor,"
                        + " on_time => DESCRIPTOR(ts), uid => 'detect', store => '"
                        + store
                        + "'"
                        + arguments
                        + ")");
    }

    @Test
    void goodArgumentsPlan() {
        assertThat(plan(", options => 'sensorcast.scoring.threshold=0.99'"))
                .contains("SENSORCAST_DETECT");
        assertThat(plan(", value_columns => DESCRIPTOR(`value`)")).contains("SENSORCAST_DETECT");
    }

    @Test
    void anUnknownOptionNamesTheNearestKey() {
        assertThatThrownBy(() -> plan(", options => 'sensorcast.scoring.treshold=0.99'"))
                .isInstanceOf(ValidationException.class)
                .hasStackTraceContaining("unknown option sensorcast.scoring.treshold")
                .hasStackTraceContaining("sensorcast.scoring.threshold");
        assertThatThrownBy(() -> plan(", options => 'threshold=0.99'"))
                .hasStackTraceContaining("options: unknown option threshold");
    }

    @Test
    void aValueOutOfRangeNamesItsKeyAndRange() {
        assertThatThrownBy(() -> plan(", options => 'sensorcast.scoring.threshold=2'"))
                .isInstanceOf(ValidationException.class)
                .hasStackTraceContaining("sensorcast.scoring.threshold must be in (0, 1)");
        assertThatThrownBy(() -> plan(", options => 'sensorcast.forecast.history=1'"))
                .hasStackTraceContaining("sensorcast.forecast.history");
        assertThatThrownBy(
                        () -> plan(", options => 'sensorcast.forecast.reading-order=EVENT_TIME'"))
                .hasStackTraceContaining("only ARRIVAL is allowed");
    }

    @Test
    void aMissingOrNonNumericValueColumnIsNamed() {
        assertThatThrownBy(() -> plan(", value_columns => DESCRIPTOR(temperature)"))
                .isInstanceOf(ValidationException.class)
                .hasStackTraceContaining("value_columns: input has no column 'temperature'");
        assertThatThrownBy(() -> plan(", value_columns => DESCRIPTOR(label)"))
                .hasStackTraceContaining("value_columns: column 'label' is STRING")
                .hasStackTraceContaining("must be numeric");
    }

    @Test
    void aStoreThatCannotBeReachedIsRefused() {
        assertThatThrownBy(
                        () ->
                                sql.explainSql(
                                        "SELECT * FROM SENSORCAST_DETECT(input => TABLE readings"
                                                + " PARTITION BY sensor, on_time =>"
                                                + " DESCRIPTOR(ts), uid => 'detect',"
                                                + " store => 'nosuchfs://bucket/models')"))
                .isInstanceOf(ValidationException.class)
                .hasStackTraceContaining("store: cannot reach the model store nosuchfs://");
    }

    @Test
    void thePartitionMustBeOneColumn() {
        assertThatThrownBy(
                        () ->
                                sql.explainSql(
                                        "SELECT * FROM SENSORCAST_DETECT(input => TABLE readings"
                                                + " PARTITION BY (sensor, label), on_time =>"
                                                + " DESCRIPTOR(ts), uid => 'detect')"))
                .isInstanceOf(ValidationException.class)
                .hasStackTraceContaining("PARTITION BY must name one column");
    }
}
