package io.sensorcast.sql;

import io.sensorcast.model.ForecastModel;
import io.sensorcast.model.ReadingWindow;
import io.sensorcast.pipeline.operators.ModelRegistry;
import java.util.Collection;
import java.util.List;
import org.apache.flink.metrics.Counter;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.PredictFunction;

/**
 * {@code ML_PREDICT} with a sensorcast model: each input row's window through the model version
 * pinned at planning, one forward pass a row. A window shorter than the model's, or with a null or
 * non-finite value, gets a null forecast and is counted ({@code invalidWindows}): one bad row does
 * not fail the task.
 */
public final class SensorcastPredictFunction extends PredictFunction {

    private static final long serialVersionUID = 1L;

    private final String location;
    private final int maxWindow;
    private final ModelRegistry.Settings serving;
    private final String column;
    private final int window;
    private final boolean floatIn;
    private final boolean floatOut;

    private transient ForecastModel model;
    private transient Counter invalid;

    SensorcastPredictFunction(
            String location,
            int maxWindow,
            ModelRegistry.Settings serving,
            String column,
            int window,
            boolean floatIn,
            boolean floatOut) {
        this.location = location;
        this.maxWindow = maxWindow;
        this.serving = serving;
        this.column = column;
        this.window = window;
        this.floatIn = floatIn;
        this.floatOut = floatOut;
    }

    @Override
    public void open(FunctionContext context) {
        invalid = context.getMetricGroup().addGroup("sensorcast").counter("invalidWindows");
        model = SensorcastModelProviderFactory.load(location, maxWindow, serving);
    }

    @Override
    public Collection<RowData> predict(RowData row) {
        double[] values = values(row.isNullAt(0) ? null : row.getArray(0));
        if (values == null) {
            invalid.inc();
            return List.of(GenericRowData.of((Object) null));
        }
        float[] forecast = model.forecast(List.of(new Window(column, values)))[0];
        if (forecast == null) {
            invalid.inc();
            return List.of(GenericRowData.of((Object) null));
        }
        Object out;
        if (floatOut) {
            out = new GenericArrayData(forecast);
        } else {
            double[] d = new double[forecast.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = forecast[i];
            }
            out = new GenericArrayData(d);
        }
        return List.of(GenericRowData.of(out));
    }

    /** The window's values, or null when it is short or has a null or non-finite value. */
    private double[] values(ArrayData a) {
        if (a == null || a.size() < window) {
            return null;
        }
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            if (a.isNullAt(i)) {
                return null;
            }
            v[i] = floatIn ? a.getFloat(i) : a.getDouble(i);
            if (!Double.isFinite(v[i])) {
                return null;
            }
        }
        return v;
    }

    @Override
    public void close() {
        if (model != null) {
            model.close();
            model = null;
        }
    }

    /** One reading column, oldest first. */
    private record Window(String column, double[] values) implements ReadingWindow {
        @Override
        public int steps() {
            return values.length;
        }

        @Override
        public int columns() {
            return 1;
        }

        @Override
        public String column(int c) {
            return column;
        }

        @Override
        public double value(int step, int c) {
            return values[step];
        }
    }
}
