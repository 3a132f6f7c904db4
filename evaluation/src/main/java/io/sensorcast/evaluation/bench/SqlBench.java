package io.sensorcast.evaluation.bench;

import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.kafka.KafkaOptions;
import io.sensorcast.connectors.replay.Pacing;
import io.sensorcast.evaluation.stack.LocalStack;
import io.sensorcast.sql.SensorcastDetect;
import io.sensorcast.sql.SqlScripts;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;

/**
 * {@code sensorcast bench-sql}: {@code SENSORCAST_DETECT} against ForecastJob on the same readings,
 * in the same JVM and run. A fleet's readings go onto an embedded broker once; then, per round,
 * ForecastJob (bounded, persistence forecasts, exactly-once sinks of forecasts and scores) and an
 * {@code INSERT} of the function's rows into a Kafka table (exactly-once) read them, each on a
 * MiniCluster of the same parallelism with checkpoints every second. Both count their forecasts on
 * the same {@code forecasts} counters; the figures are the steady rates and CPU per forecast
 * between 10% and 90% of them ({@link BenchRun}). A small warm-up run of each comes first, not
 * counted.
 */
public final class SqlBench {

    /**
     * @param perSensor forecasts each sensor gets (it sends one reading more)
     * @param conf job options for both (sensorcast.*), and Flink options
     */
    public record Settings(
            int sensors, int perSensor, int parallelism, int rounds, Map<String, String> conf) {}

    /** One round: the DataStream job's run, then the SQL function's. */
    public record Round(BenchRun datastream, BenchRun sql) {
        double ratio() {
            return sql.steady() / datastream.steady();
        }
    }

    private final Settings s;
    private final PrintWriter out;

    public SqlBench(Settings settings, PrintWriter out) {
        this.s = settings;
        this.out = out;
    }

    /** Runs the rounds; prints each and returns the figures. */
    public Map<String, Object> run() throws Exception {
        List<List<SensorReading>> series = BenchFleet.realKnownCause();
        List<Round> rounds = new ArrayList<>();
        try (LocalStack stack = LocalStack.start("bench-sql")) {
            String warmUp = replay(stack, series, Math.min(500, s.sensors()), "warm-up");
            round(stack, warmUp, Math.min(500, s.sensors()), "warm-up");
            String topic = replay(stack, series, s.sensors(), "measured");
            for (int r = 1; r <= s.rounds(); r++) {
                Round round = round(stack, topic, s.sensors(), "round-" + r);
                rounds.add(round);
                out.printf(
                        Locale.ROOT,
                        "round %d: DataStream %.0f forecasts/s (%.1f us CPU a forecast), SQL %.0f"
                                + " forecasts/s (%.1f us CPU a forecast): SQL/DataStream %.2f%n",
                        r,
                        round.datastream().steady(),
                        round.datastream().cpuMicros(),
                        round.sql().steady(),
                        round.sql().cpuMicros(),
                        round.ratio());
                out.flush();
            }
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("sensors", s.sensors());
        f.put("forecasts_per_sensor", s.perSensor());
        f.put("parallelism", s.parallelism());
        f.put("datastream_forecasts_per_s", mean(rounds, r -> r.datastream().steady()));
        f.put("sql_forecasts_per_s", mean(rounds, r -> r.sql().steady()));
        f.put("sql_to_datastream", mean(rounds, Round::ratio));
        f.put("cpu_us_per_forecast_datastream", mean(rounds, r -> r.datastream().cpuMicros()));
        f.put("cpu_us_per_forecast_sql", mean(rounds, r -> r.sql().cpuMicros()));
        List<Map<String, Object>> each = new ArrayList<>();
        for (Round r : rounds) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("datastream_forecasts_per_s", r.datastream().steady());
            m.put("sql_forecasts_per_s", r.sql().steady());
            m.put("cpu_us_per_forecast_datastream", r.datastream().cpuMicros());
            m.put("cpu_us_per_forecast_sql", r.sql().cpuMicros());
            each.add(m);
        }
        f.put("rounds", each);
        out.printf(
                Locale.ROOT,
                "mean of %d round(s): DataStream %.0f forecasts/s, SQL %.0f forecasts/s,"
                        + " SQL/DataStream %.2f%n",
                rounds.size(),
                (double) f.get("datastream_forecasts_per_s"),
                (double) f.get("sql_forecasts_per_s"),
                (double) f.get("sql_to_datastream"));
        return f;
    }

    private static double mean(List<Round> rounds, java.util.function.ToDoubleFunction<Round> f) {
        return rounds.stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    private String replay(
            LocalStack stack, List<List<SensorReading>> series, int sensors, String name)
            throws Exception {
        String topic = "sensorcast.readings." + name;
        stack.replayer().ensureTopic(topic, 2 * s.parallelism());
        BenchFleet fleet = new BenchFleet(sensors, 2, s.perSensor());
        stack.replayer()
                .replay(fleet.readings(series, 0), topic, new Pacing.Max(), (a, b, c) -> {});
        out.printf(Locale.ROOT, "%s: %d sensors' readings on %s%n", name, sensors, topic);
        out.flush();
        return topic;
    }

    private Round round(LocalStack stack, String topic, int sensors, String name) throws Exception {
        long expected = (long) sensors * s.perSensor();
        Configuration config = new Configuration(stack.job());
        config.set(KafkaOptions.READINGS_TOPIC, topic);
        config.set(KafkaOptions.GROUP_ID, "bench-sql-" + name);
        s.conf().forEach(config::setString);
        Map<String, String> flinkConf = new LinkedHashMap<>(s.conf());
        BenchRun datastream =
                BenchRun.measure(
                        stack,
                        config,
                        flinkConf,
                        "datastream-" + name,
                        s.parallelism(),
                        null,
                        (int) expected,
                        out);
        BenchRun sql = sql(stack, config, topic, name, expected);
        return new Round(datastream, sql);
    }

    /** The function over {@code topic}, its rows into a Kafka table exactly-once. */
    private BenchRun sql(
            LocalStack stack, Configuration config, String topic, String name, long expected)
            throws Exception {
        Configuration flink = stack.flink(s.parallelism(), "checkpoints-sql-" + name);
        flink.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        flink.setString("execution.checkpointing.interval", "1 s");
        // as ForecastJob does; SQL's operators do not hold on to records they passed on
        flink.setString("pipeline.object-reuse", "true");
        s.conf().forEach(flink::setString);
        JobMetricsReporter.register(flink);
        TableEnvironment t =
                TableEnvironment.create(
                        EnvironmentSettings.newInstance()
                                .inStreamingMode()
                                .withConfiguration(flink)
                                .build());
        t.createTemporarySystemFunction(SensorcastDetect.NAME, SensorcastDetect.class);
        t.executeSql(SqlScripts.readingsTable("readings", stack.bootstrapServers(), topic));
        t.executeSql(
                "CREATE TEMPORARY TABLE detected (sensor STRING, ts TIMESTAMP_LTZ(3), target"
                        + " STRING, score DOUBLE, alert_score DOUBLE, is_anomaly BOOLEAN,"
                        + " forecast ARRAY<DOUBLE>, model_version BIGINT) WITH ('connector' ="
                        + " 'kafka', 'topic' = 'sensorcast.sql-detected."
                        + name
                        + "', 'properties.bootstrap.servers' = '"
                        + stack.bootstrapServers()
                        + "', 'format' = 'json', 'sink.delivery-guarantee' = 'exactly-once',"
                        + " 'properties.transaction.timeout.ms' = '600000',"
                        + " 'sink.transactional-id-prefix' = 'bench-sql-"
                        + name
                        + "')");
        String insert =
                "INSERT INTO detected SELECT sensor, rowtime, target, score, alert_score,"
                        + " is_anomaly, forecast, model_version FROM SENSORCAST_DETECT(input =>"
                        + " TABLE readings PARTITION BY sensor, on_time => DESCRIPTOR(ts), uid =>"
                        + " 'detect', store => '"
                        + config.getString("sensorcast.models.root", "models")
                        + "', options => '"
                        + options(config)
                        + "')";
        return BenchRun.measure(flink, () -> t.executeSql(insert).await(), expected, out);
    }

    /** The job options of {@code config} the function reads, as its {@code options} argument. */
    private static String options(Configuration config) {
        return config.toMap().entrySet().stream()
                .filter(
                        e ->
                                e.getKey().startsWith("sensorcast.forecast.")
                                        || e.getKey().startsWith("sensorcast.scoring."))
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(";"));
    }
}
