package io.sensorcast.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.testutils.TestClusters;
import io.sensorcast.model.ForecastModel;
import io.sensorcast.model.ReadingWindow;
import io.sensorcast.model.artifact.ModelArtifact;
import io.sensorcast.model.dataset.TimeSplit;
import io.sensorcast.pipeline.data.CsvReadings;
import io.sensorcast.pipeline.operators.ModelRegistry;
import io.sensorcast.pipeline.store.ModelStore;
import io.sensorcast.pipeline.testutils.TestModels;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code CREATE MODEL ... WITH ('provider' = 'sensorcast')} and {@code ML_PREDICT} serve a model of
 * the store: the forecasts equal the model's own for the same windows, and a bad option, schema or
 * version fails when the statement is planned.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class MlPredictITCase {

    private static final String SENSOR = "ec2_request_latency_system_failure";
    private static final int WINDOW = 24;

    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.flink(1);

    @TempDir static Path work;

    private static ModelStore store;
    private static List<SensorReading> readings;

    @BeforeAll
    static void publish() throws Exception {
        Path csv = TestModels.nab("realKnownCause", SENSOR);
        Path artifact = work.resolve("artifact");
        TestModels.trainOneStep(csv, WINDOW, new TimeSplit(600, 800, 1000), 1, artifact);
        store = new ModelStore(work.resolve("store").toString(), 5);
        store.publish("ec2", artifact);
        ModelStore.Version v2 = store.publish("ec2", artifact);
        TestModels.flipAByte(Path.of(URI.create(v2.location())).resolve(ModelArtifact.PARAMETERS));
        readings = CsvReadings.read(csv, SENSOR);
    }

    private TableEnvironment sql(String input, String output, String with) {
        TableEnvironment t = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        t.executeSql(
                "CREATE MODEL m INPUT (w "
                        + input
                        + ") OUTPUT (forecast "
                        + output
                        + ") WITH ('provider' = 'sensorcast', 'store' = '"
                        + store.root()
                        + "'"
                        + with
                        + ")");
        return t;
    }

    @Test
    void forecastsEqualTheModelsOwn() throws Exception {
        List<double[]> windows = new ArrayList<>();
        StringJoiner values = new StringJoiner(", ");
        for (int start = 0; start < 5 * WINDOW; start += WINDOW) {
            double[] w = new double[WINDOW];
            StringJoiner array = new StringJoiner(", ", "(ARRAY[", "])");
            for (int i = 0; i < WINDOW; i++) {
                w[i] = readings.get(start + i).values[0];
                array.add("CAST(" + w[i] + " AS DOUBLE)");
            }
            windows.add(w);
            values.add(array.toString());
        }
        TableEnvironment t =
                sql("ARRAY<DOUBLE>", "ARRAY<DOUBLE>", ", 'group' = 'ec2', 'version' = '1'");
        t.executeSql(
                "CREATE TEMPORARY VIEW windows AS SELECT * FROM (VALUES " + values + ") AS v(w)");
        // the window's first value -> its forecast: with more than one ML_PREDICT subtask the rows
        // arrive in any order
        Map<Double, Double[]> byFirst = new HashMap<>();
        try (CloseableIterator<Row> rows =
                t.executeSql(
                                "SELECT w, forecast FROM ML_PREDICT(TABLE windows, MODEL m, DESCRIPTOR(w))")
                        .collect()) {
            rows.forEachRemaining(
                    r -> byFirst.put(r.<Double[]>getFieldAs("w")[0], r.getFieldAs("forecast")));
        }
        assertThat(byFirst).hasSize(windows.size());
        List<Double[]> predicted = new ArrayList<>();
        for (double[] w : windows) {
            predicted.add(byFirst.get(w[0]));
        }

        List<ReadingWindow> direct = new ArrayList<>();
        for (double[] w : windows) {
            direct.add(window(w));
        }
        float[][] expected;
        try (ForecastModel model =
                SensorcastModelProviderFactory.load(
                        store.location("ec2", 1), 100_000, ModelRegistry.Settings.defaults())) {
            expected = model.forecast(direct);
        }
        for (int i = 0; i < windows.size(); i++) {
            assertThat(predicted.get(i)).hasSize(expected[i].length);
            for (int k = 0; k < expected[i].length; k++) {
                assertThat(predicted.get(i)[k]).isEqualTo((double) expected[i][k]);
            }
        }
    }

    private static ReadingWindow window(double[] w) {
        return new ReadingWindow() {
            @Override
            public int steps() {
                return w.length;
            }

            @Override
            public int columns() {
                return 1;
            }

            @Override
            public String column(int c) {
                return "value";
            }

            @Override
            public double value(int step, int c) {
                return w[step];
            }
        };
    }

    /** Plans a query of the model: where Flink asks its provider for it (CREATE MODEL does not). */
    private String plan(String input, String output, String with) {
        TableEnvironment t = sql(input, output, with);
        t.executeSql(
                "CREATE TEMPORARY VIEW windows AS SELECT * FROM (VALUES (CAST(NULL AS "
                        + input
                        + "))) AS v(w)");
        return t.explainSql("SELECT * FROM ML_PREDICT(TABLE windows, MODEL m, DESCRIPTOR(w))");
    }

    @Test
    void badModelsAndOptionsFailAtPlanning() {
        assertThat(plan("ARRAY<FLOAT>", "ARRAY<FLOAT>", ", 'group' = 'ec2'"))
                .contains("ML_PREDICT");
        assertThatThrownBy(
                        () ->
                                plan(
                                        "ARRAY<FLOAT>",
                                        "ARRAY<FLOAT>",
                                        ", 'group' = 'ec2', 'colour' = 'red'"))
                .isInstanceOf(ValidationException.class)
                .hasStackTraceContaining("unknown option 'colour'");
        assertThatThrownBy(() -> plan("ARRAY<FLOAT>", "ARRAY<FLOAT>", ""))
                .hasStackTraceContaining("'group'");
        assertThatThrownBy(
                        () ->
                                plan(
                                        "ARRAY<FLOAT>",
                                        "ARRAY<FLOAT>",
                                        ", 'group' = 'ec2', 'version' = '9'"))
                .hasStackTraceContaining("group 'ec2' has no version 9");
        assertThatThrownBy(
                        () ->
                                plan(
                                        "ARRAY<FLOAT>",
                                        "ARRAY<FLOAT>",
                                        ", 'group' = 'ec2', 'version' = '2'"))
                .hasStackTraceContaining("version 2 of group 'ec2' is refused");
        assertThatThrownBy(() -> plan("STRING", "ARRAY<FLOAT>", ", 'group' = 'ec2'"))
                .hasStackTraceContaining(
                        "INPUT must be one column of ARRAY<FLOAT> or ARRAY<DOUBLE>");
        assertThatThrownBy(
                        () ->
                                plan(
                                        "ARRAY<FLOAT>",
                                        "ARRAY<FLOAT>",
                                        ", 'group' = 'ec2', 'options' ="
                                                + " 'sensorcast.models.serving-engine=GPU'"))
                .hasStackTraceContaining("sensorcast.models.serving-engine");
    }
}
