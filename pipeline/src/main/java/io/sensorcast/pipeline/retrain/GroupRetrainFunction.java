package io.sensorcast.pipeline.retrain;

import io.sensorcast.connectors.format.RetrainReport;
import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.model.engine.DjlRuntime;
import io.sensorcast.model.engine.EngineSettings;
import io.sensorcast.pipeline.store.ModelPublisher;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Flink side of a retraining round, keyed by model group: gathers the group's readings until
 * the end of the bounded input, then runs a {@link RetrainRound} on them and emits its report.
 */
public final class GroupRetrainFunction
        extends KeyedProcessFunction<String, SensorReading, RetrainReport> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(GroupRetrainFunction.class);

    private final Configuration config;
    private final RetrainSettings settings;
    private final CandidateTrainer trainer;

    private transient ListState<SensorReading> readings;
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
                        .getListState(
                                new ListStateDescriptor<>(
                                        "readings", TypeInformation.of(SensorReading.class)));
        round = new RetrainRound(settings, trainer, new ModelPublisher(config, "retrain"));
    }

    @Override
    public void processElement(SensorReading r, Context ctx, Collector<RetrainReport> out)
            throws Exception {
        readings.add(r);
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE); // the end of the input
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RetrainReport> out)
            throws Exception {
        String group = ctx.getCurrentKey();
        List<SensorReading> all = new ArrayList<>();
        readings.get().forEach(all::add);
        readings.clear();
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
