package io.sensorcast.pipeline.retrain;

import io.sensorcast.connectors.format.RetrainReport;
import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.model.engine.DjlRuntime;
import io.sensorcast.model.engine.EngineSettings;
import io.sensorcast.pipeline.store.ModelPublisher;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Flink side of a retraining round, keyed by model group: gathers the group's readings until
 * the end of the bounded input, then runs a {@link RetrainRound} on them and emits its report.
 *
 * <p>The state is bounded: per sensor the newest {@link #perSensor} readings to arrive (what a
 * round trains and judges on, {@code max-readings}, with the look-back of their seasonal channels
 * and room for repeats), in slots a newer reading overwrites, so a round over a topic's whole
 * retention holds no more than one over its newest readings.
 */
public final class GroupRetrainFunction
        extends KeyedProcessFunction<String, SensorReading, RetrainReport> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(GroupRetrainFunction.class);

    private final Configuration config;
    private final RetrainSettings settings;
    private final CandidateTrainer trainer;

    /** A sensor's readings by slot ({@code sensor}, NUL, slot), at most {@link #perSensor}. */
    private transient MapState<String, SensorReading> readings;

    /** Readings a sensor sent this round; the next goes to slot {@code arrived % perSensor}. */
    private transient MapState<String, Long> arrived;

    private transient RetrainRound round;

    /**
     * @param config where models are published: the model store and the model-updates topic
     */
    public GroupRetrainFunction(
            RetrainSettings settings, Configuration config, CandidateTrainer trainer) {
        this.config = config;
        this.settings = settings;
        this.trainer = trainer;
    }

    @Override
    public void open(OpenContext context) {
        DjlRuntime.engine(EngineSettings.defaults().withIntraOpThreads(settings.intraOpThreads()));
        readings =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "sensor-readings",
                                        Types.STRING,
                                        TypeInformation.of(SensorReading.class)));
        arrived =
                getRuntimeContext()
                        .getMapState(new MapStateDescriptor<>("arrived", Types.STRING, Types.LONG));
        round = new RetrainRound(settings, trainer, new ModelPublisher(config, "retrain"));
    }

    /**
     * The readings kept per sensor: the newest {@code max-readings}, the seasonal channels'
     * look-back before them, and as many again as {@code max-readings} for repeats and readings of
     * an older schema, which the round drops.
     */
    public static int perSensor(RetrainSettings settings) {
        return 2 * settings.maxReadings() + settings.channels().lookback();
    }

    @Override
    public void processElement(SensorReading r, Context ctx, Collector<RetrainReport> out)
            throws Exception {
        Long n = arrived.get(r.sensor);
        long k = n == null ? 0 : n;
        readings.put(r.sensor + '\0' + k % perSensor(settings), r);
        arrived.put(r.sensor, k + 1);
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE); // the end of the input
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RetrainReport> out)
            throws Exception {
        String group = ctx.getCurrentKey();
        List<SensorReading> all = new ArrayList<>();
        readings.values().forEach(all::add);
        readings.clear();
        arrived.clear();
        RetrainReport report = round.run(group, all, System.currentTimeMillis());
        LOG.info(
                "Retrain {}: {} {} ({} readings of {} sensors, {} ms)",
                group,
                report.decision(),
                report.reason(),
                report.readings(),
                report.sensors(),
                report.durationMs());
        out.collect(report);
    }
}
