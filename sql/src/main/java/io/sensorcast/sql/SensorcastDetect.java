package io.sensorcast.sql;

import io.sensorcast.connectors.format.ForecastRecord;
import io.sensorcast.connectors.format.IsoInstants;
import io.sensorcast.connectors.format.ModelUpdate;
import io.sensorcast.connectors.format.Published;
import io.sensorcast.connectors.format.ScoreRecord;
import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.pipeline.job.ForecastSettings;
import io.sensorcast.pipeline.operators.ModelForecastFunction;
import io.sensorcast.pipeline.operators.SensorSequence;
import io.sensorcast.pipeline.operators.SensorWindow;
import io.sensorcast.pipeline.operators.SequenceWindowFunction;
import io.sensorcast.pipeline.operators.WindowForecast;
import io.sensorcast.pipeline.scoring.ScoringMetrics;
import io.sensorcast.pipeline.scoring.SensorScorer;
import io.sensorcast.pipeline.scoring.SensorScoring;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.table.annotation.ArgumentHint;
import org.apache.flink.table.annotation.ArgumentTrait;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.StateHint;
import org.apache.flink.table.api.dataview.MapView;
import org.apache.flink.table.catalog.DataTypeFactory;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.ProcessTableFunction;
import org.apache.flink.table.functions.TableSemantics;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.inference.TypeInference;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeFamily;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.ColumnList;
import org.apache.flink.types.Row;

/**
 * {@code SENSORCAST_DETECT}: ForecastJob's per-sensor forecasting and anomaly detection as a Flink
 * SQL process table function.
 *
 * <pre>{@code
 * SELECT * FROM SENSORCAST_DETECT(
 *     input => TABLE readings PARTITION BY sensor_id,
 *     on_time => DESCRIPTOR(ts),
 *     uid => 'detect',
 *     value_columns => DESCRIPTOR(`value`),
 *     store => 'file:///var/sensorcast/models',
 *     options => 'sensorcast.scoring.threshold=0.99')
 * }</pre>
 *
 * <p>Each row is a reading: the partition key is the sensor, the {@code on_time} column its time,
 * the value columns (every numeric column but the key and the time when {@code value_columns} is
 * not given) its values, named as the columns are. A row goes through the code ForecastJob runs in
 * its {@code ARRIVAL} reading order: the sensor's sequence ({@link SequenceWindowFunction#arrive}),
 * the group's model ({@link ModelForecastFunction}, with its parity checks and artifact
 * verification) and the scorer ({@link SensorScorer}). So for the same readings and options the
 * function returns the scores the job publishes. It emits one row per reading and target: the score
 * of that reading against the forecast the sensor's previous reading made (null before there is
 * one), then the new forecast with its intervals.
 *
 * <p>A reading not newer than its sensor's newest is dropped and counted ({@code lateReadings},
 * {@code duplicateReadings}), as are rows whose values are null or not finite ({@code
 * invalidRows}). New model versions are found by listing the store every {@code
 * sensorcast.sql.model-poll-interval} (10 s) on a background thread. A sensor silent for {@code
 * sensorcast.forecast.sensor-idle-timeout} of event time loses its state (one event-time timer per
 * sensor), as in the job.
 *
 * <p>Bad arguments fail at planning, naming the argument or option: see {@link #getTypeInference}.
 */
@DataTypeHint(
        value =
                "ROW<target STRING, actual DOUBLE, predicted DOUBLE, residual DOUBLE, score DOUBLE,"
                        + " alert_score DOUBLE, threshold DOUBLE, is_anomaly BOOLEAN,"
                        + " bands ARRAY<ROW<level DOUBLE, lower DOUBLE, upper DOUBLE>>,"
                        + " forecast ARRAY<DOUBLE>,"
                        + " forecast_intervals ARRAY<ROW<level DOUBLE, lower ARRAY<DOUBLE>,"
                        + " upper ARRAY<DOUBLE>>>,"
                        + " model_group STRING, model_version BIGINT>",
        // internal rows: no conversion of each output row (and its nested arrays) from Row
        bridgedTo = RowData.class)
public class SensorcastDetect extends ProcessTableFunction<RowData> {

    private static final long serialVersionUID = 1L;

    /** The name the function is registered under in the examples and the {@code sql} command. */
    public static final String NAME = "SENSORCAST_DETECT";

    static final String INPUT = "input";
    static final String VALUE_COLUMNS = "value_columns";
    static final String STORE = "store";
    static final String MODEL_GROUPS = "model_groups";
    static final String OPTIONS = "options";

    private static final String IDLE_TIMER = "idle";

    /** The key of the sensor's one {@link DetectState} in its map view. */
    private static final String STATE = "sensor";

    private transient Pipeline pipeline;
    private transient MetricGroup metrics;

    /** The job's per-sensor code, built from the call's arguments on its first row. */
    private static final class Pipeline {
        final SequenceWindowFunction sequence;
        final ModelForecastFunction model;
        final SensorScorer scorer;
        final ScoringMetrics counts;
        final ModelPoller poller;
        final Counter invalid;
        final int keyColumn;
        final int[] valueColumns;
        final String[] names;
        final List<SensorWindow> window = new ArrayList<>(1);
        final List<Published> published = new ArrayList<>();
        String followed; // the group of the last row, followed already

        Pipeline(
                DetectOptions options,
                MetricGroup metrics,
                TableSemantics table,
                ColumnList valueColumnNames) {
            ForecastSettings settings = options.settings();
            sequence = settings.sequenceFunction();
            sequence.bindMetrics(metrics);
            model = settings.forecastFunction();
            model.open(metrics);
            scorer = settings.sensorScorer();
            counts = new ScoringMetrics(metrics);
            invalid = metrics.counter("invalidRows");
            poller = new ModelPoller(settings.store(), options.modelPoll);
            Columns columns = Columns.of(table, valueColumnNames);
            keyColumn = columns.key;
            valueColumns = columns.values;
            names = columns.names;
        }
    }

    @Override
    public void open(FunctionContext context) {
        metrics = context.getMetricGroup().addGroup("sensorcast");
    }

    public void eval(
            Context ctx,
            // no TTL: the idle timer bounds the state, in event time, as in the job (a TTL on the
            // heap backend also copied every entry it checked for expiry)
            @StateHint(ttl = "0") MapView<String, DetectState> sensor,
            @ArgumentHint(
                            value = {
                                ArgumentTrait.SET_SEMANTIC_TABLE,
                                ArgumentTrait.REQUIRE_ON_TIME
                            },
                            name = INPUT)
                    Row input,
            @ArgumentHint(
                            name = VALUE_COLUMNS,
                            isOptional = true,
                            type = @DataTypeHint("DESCRIPTOR"))
                    ColumnList valueColumns,
            @ArgumentHint(name = STORE, isOptional = true) String store,
            @ArgumentHint(name = MODEL_GROUPS, isOptional = true) String modelGroups,
            @ArgumentHint(name = OPTIONS, isOptional = true) String options)
            throws Exception {
        Pipeline p = pipeline;
        if (p == null) {
            p =
                    new Pipeline(
                            DetectOptions.parse(store, modelGroups, options),
                            metrics,
                            ctx.tableSemanticsFor(INPUT),
                            valueColumns);
            pipeline = p;
        }
        SensorReading r = reading(p, input, ctx.timeContext(Long.class).time());
        if (r == null) {
            p.invalid.inc();
            return;
        }
        DetectState state = sensor.get(STATE);
        boolean fresh = state == null;
        if (fresh) {
            state = new DetectState();
            state.sequence = new SensorSequence();
        }
        SensorSequence s = state.sequence;
        p.window.clear();
        long now = System.currentTimeMillis();
        if (!p.sequence.arrive(s, r, now, r.sensor, p.window::add)) {
            return; // late or a duplicate: counted, nothing changes
        }
        if (fresh || s.idleTimerAt < r.timestamp) {
            // one idle timer per sensor, moved only once it has passed (as the job's)
            s.idleTimerAt = s.deadline;
            ctx.timeContext(Long.class).registerOnTime(IDLE_TIMER, s.deadline);
        }
        if (p.window.isEmpty()) {
            sensor.put(STATE, state);
            return; // fewer readings than a first window needs
        }
        String group = p.model.groupOf(r.sensor);
        if (!group.equals(p.followed)) { // most rows: the group of the row before
            p.poller.follow(group);
            p.followed = group;
        }
        p.poller.deliver(p.model);
        WindowForecast next = p.model.apply(p.window).get(0);
        SensorScoring scoring = state.scoring == null ? new SensorScoring() : state.scoring;
        p.published.clear();
        p.scorer.process(scoring, next, now, p.counts, p.published::add);
        state.scoring = scoring;
        sensor.put(STATE, state); // the object itself on the heap; serialized once on RocksDB
        emit(p.published);
    }

    /** A sensor silent for the idle timeout loses its state, as in the job. */
    public void onTimer(OnTimerContext ctx, MapView<String, DetectState> sensor) throws Exception {
        DetectState state = sensor.get(STATE);
        if (state == null) {
            return;
        }
        SensorSequence s = state.sequence;
        long at = ctx.timeContext(Long.class).time();
        if (s.deadline <= at) {
            ctx.clearAll();
        } else {
            s.idleTimerAt = s.deadline;
            ctx.timeContext(Long.class).registerOnTime(IDLE_TIMER, s.deadline);
            sensor.put(STATE, state);
        }
    }

    /** The reading of {@code row}, or null when a value is missing or not finite. */
    private static SensorReading reading(Pipeline p, Row row, long timestamp) {
        Object key = row.getField(p.keyColumn);
        if (key == null) {
            return null;
        }
        double[] values = new double[p.valueColumns.length];
        for (int i = 0; i < values.length; i++) {
            Object v = row.getField(p.valueColumns[i]);
            if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                return null;
            }
            values[i] = n.doubleValue();
        }
        return new SensorReading(key.toString(), timestamp, p.names, values);
    }

    /**
     * One row per target of the forecast among {@code published} (the scorer's output for one
     * reading): the target's score, when the reading settled one, and the new forecast.
     */
    private void emit(List<Published> published) {
        ForecastRecord forecast = published.get(0).forecast();
        List<ForecastRecord.Step> steps = forecast.steps();
        StringData group = StringData.fromString(forecast.modelGroup());
        for (String target : steps.get(0).predicted().keySet()) {
            Object[] values = new Object[steps.size()];
            for (int k = 0; k < values.length; k++) {
                values[k] = steps.get(k).predicted().get(target);
            }
            ScoreRecord s = score(published, target);
            GenericRowData row = new GenericRowData(13);
            row.setField(0, StringData.fromString(target));
            if (s != null) {
                row.setField(1, s.actual());
                row.setField(2, s.predicted());
                row.setField(3, s.residual());
                row.setField(4, s.score());
                row.setField(5, s.alertScore());
                row.setField(6, s.threshold());
                row.setField(7, s.isAnomaly());
                row.setField(8, bands(s));
            }
            row.setField(9, new GenericArrayData(values));
            row.setField(10, intervals(steps, target));
            row.setField(11, group);
            row.setField(12, forecast.modelVersion());
            collect(row);
        }
    }

    /** The score of {@code target} among {@code published}, or null when it settled none. */
    private static ScoreRecord score(List<Published> published, String target) {
        for (int i = 1; i < published.size(); i++) {
            Published out = published.get(i);
            if (out.topic() == Published.Topic.SCORES && out.score().target().equals(target)) {
                return out.score();
            }
        }
        return null;
    }

    private static ArrayData bands(ScoreRecord s) {
        Object[] out = new Object[s.intervals().size()];
        for (int i = 0; i < out.length; i++) {
            ScoreRecord.Band b = s.intervals().get(i);
            out[i] = GenericRowData.of(b.level(), b.lower(), b.upper());
        }
        return new GenericArrayData(out);
    }

    /** The forecast's intervals for {@code target}, per level, each bound per horizon step. */
    private static ArrayData intervals(List<ForecastRecord.Step> steps, String target) {
        List<ForecastRecord.Interval> first = steps.get(0).intervals();
        Object[] out = new Object[first.size()];
        for (int l = 0; l < out.length; l++) {
            double level = first.get(l).level();
            Object[] lower = new Object[steps.size()];
            Object[] upper = new Object[steps.size()];
            for (int k = 0; k < steps.size(); k++) {
                for (ForecastRecord.Interval in : steps.get(k).intervals()) {
                    if (in.level() == level) {
                        lower[k] = in.lower().get(target);
                        upper[k] = in.upper().get(target);
                    }
                }
            }
            out[l] =
                    GenericRowData.of(
                            level, new GenericArrayData(lower), new GenericArrayData(upper));
        }
        return new GenericArrayData(out);
    }

    @Override
    public void close() {
        if (pipeline != null) {
            pipeline.poller.close();
            pipeline.model.close();
            pipeline = null;
        }
    }

    /**
     * The type inference of the annotations, with the call's arguments checked at planning: the
     * options (the job's checks), the model store's reachability and the value columns (present,
     * numeric), and one PARTITION BY column (the sensor).
     */
    @Override
    public TypeInference getTypeInference(DataTypeFactory typeFactory) {
        return PlanningChecks.wrap(super.getTypeInference(typeFactory));
    }

    /** The input columns the function reads. */
    record Columns(int key, int[] values, String[] names) {

        /** Picks the columns of {@code table}; an IllegalArgumentException says what is wrong. */
        static Columns of(TableSemantics table, ColumnList valueColumns) {
            int[] keys = table.partitionByColumns();
            if (keys.length != 1) {
                throw new IllegalArgumentException(
                        "input: PARTITION BY must name one column, the sensor id; got "
                                + keys.length);
            }
            DataType type = table.dataType();
            if (!(type.getLogicalType() instanceof RowType row)) {
                throw new IllegalArgumentException("input: expected a table of rows");
            }
            List<String> fields = row.getFieldNames();
            List<Integer> picked = new ArrayList<>();
            if (valueColumns == null) {
                for (int i = 0; i < fields.size(); i++) {
                    if (i != keys[0] && i != table.timeColumn() && numeric(row.getTypeAt(i))) {
                        picked.add(i);
                    }
                }
                if (picked.isEmpty()) {
                    throw new IllegalArgumentException(
                            "input: no numeric column besides the key and the time; name the value"
                                    + " columns with value_columns => DESCRIPTOR(...)");
                }
            } else {
                for (String name : valueColumns.getNames()) {
                    int i = fields.indexOf(name);
                    if (i < 0) {
                        throw new IllegalArgumentException(
                                "value_columns: input has no column '"
                                        + name
                                        + "'; its columns are "
                                        + fields);
                    }
                    if (!numeric(row.getTypeAt(i))) {
                        throw new IllegalArgumentException(
                                "value_columns: column '"
                                        + name
                                        + "' is "
                                        + row.getTypeAt(i)
                                        + "; a value column must be numeric (TINYINT to DOUBLE,"
                                        + " DECIMAL)");
                    }
                    if (i == keys[0]) {
                        throw new IllegalArgumentException(
                                "value_columns: '" + name + "' is the PARTITION BY column");
                    }
                    picked.add(i);
                }
            }
            int[] values = picked.stream().mapToInt(Integer::intValue).toArray();
            String[] names = new String[values.length];
            for (int i = 0; i < values.length; i++) {
                names[i] = fields.get(values[i]);
            }
            return new Columns(keys[0], values, names);
        }

        private static boolean numeric(LogicalType type) {
            return type.is(LogicalTypeFamily.NUMERIC);
        }
    }

    /** Latest-version notices for the groups a subtask serves, found by listing the store. */
    static final class ModelPoller implements AutoCloseable {
        private final io.sensorcast.pipeline.store.ModelStore store;
        private final long intervalMillis;
        private final java.util.Set<String> groups =
                java.util.concurrent.ConcurrentHashMap.newKeySet();
        private final Map<String, Long> announced = new java.util.concurrent.ConcurrentHashMap<>();
        private final java.util.Queue<String> updates =
                new java.util.concurrent.ConcurrentLinkedQueue<>();
        private java.util.concurrent.ScheduledExecutorService timer;

        ModelPoller(io.sensorcast.pipeline.store.ModelStore store, java.time.Duration interval) {
            this.store = store;
            this.intervalMillis = interval.toMillis();
        }

        /** Starts following {@code group} (the model's first use loads its newest version). */
        void follow(String group) {
            if (groups.add(group)) {
                if (timer == null) {
                    timer =
                            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                                    r -> {
                                        Thread t = new Thread(r, "sensorcast-sql-model-poll");
                                        t.setDaemon(true);
                                        return t;
                                    });
                    timer.scheduleWithFixedDelay(
                            this::poll,
                            intervalMillis,
                            intervalMillis,
                            java.util.concurrent.TimeUnit.MILLISECONDS);
                }
            }
        }

        /** Hands the versions found since the last call to the model serving. */
        void deliver(ModelForecastFunction model) {
            String json;
            while ((json = updates.poll()) != null) {
                model.control(json);
            }
        }

        private void poll() {
            for (String group : groups) {
                try {
                    io.sensorcast.pipeline.store.ModelStore.Version v = store.list(group).newest();
                    if (v == null) {
                        continue;
                    }
                    Long seen = announced.get(group);
                    if (seen == null || v.version() > seen) {
                        announced.put(group, v.version());
                        updates.add(
                                new String(
                                        new ModelUpdate(
                                                        group,
                                                        v.version(),
                                                        v.location(),
                                                        IsoInstants.format(
                                                                System.currentTimeMillis()),
                                                        "sensorcast-sql-poll")
                                                .toJson(),
                                        java.nio.charset.StandardCharsets.UTF_8));
                    }
                } catch (java.io.IOException | RuntimeException e) {
                    // the store is out of reach for now: the model in service stays, try next time
                }
            }
        }

        @Override
        public void close() {
            if (timer != null) {
                timer.shutdownNow();
            }
        }
    }
}
