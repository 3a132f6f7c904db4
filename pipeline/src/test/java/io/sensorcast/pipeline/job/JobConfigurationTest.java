package io.sensorcast.pipeline.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sensorcast.connectors.kafka.KafkaOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

class JobConfigurationTest {

    private static Configuration cluster(String... keyValues) {
        Configuration c = new Configuration();
        for (int i = 0; i < keyValues.length; i += 2) {
            c.setString(keyValues[i], keyValues[i + 1]);
        }
        return c;
    }

    /** No default constructor: Flink can only serialize it with Kryo. */
    static final class NotAPojo {
        final long value;

        NotAPojo(long value) {
            this.value = value;
        }
    }

    @Test
    void theJobsRefuseKryoUnlessTheUserAllowsIt() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobConfiguration.withoutKryo(env);
        assertThat(env.getConfig().getSerializerConfig().hasGenericTypesDisabled()).isTrue();
        assertThatThrownBy(
                        () ->
                                TypeInformation.of(NotAPojo.class)
                                        .createSerializer(env.getConfig().getSerializerConfig()))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("NotAPojo");

        Configuration allowed = new Configuration();
        allowed.set(PipelineOptions.GENERIC_TYPES, true);
        StreamExecutionEnvironment kryo =
                StreamExecutionEnvironment.getExecutionEnvironment(allowed);
        JobConfiguration.withoutKryo(kryo);
        assertThat(kryo.getConfig().getSerializerConfig().hasGenericTypesDisabled()).isFalse();
    }

    @Test
    void clusterOptionsApplyAndArgumentsOverrideThem() {
        Configuration cluster =
                cluster(
                        "sensorcast.forecast.history", "48",
                        "sensorcast.kafka.bootstrap-servers", "kafka:9092",
                        "sensorcast.kafka.client.security.protocol", "SASL_SSL",
                        "execution.checkpointing.interval", "10 s");
        Configuration job =
                JobConfiguration.of(cluster, new String[] {"--sensorcast.forecast.history", "64"});
        assertThat(job.get(ForecastOptions.HISTORY)).isEqualTo(64);
        assertThat(job.get(KafkaOptions.BOOTSTRAP_SERVERS)).isEqualTo("kafka:9092");
        assertThat(KafkaOptions.clientProperties(job).getProperty("security.protocol"))
                .isEqualTo("SASL_SSL");
        assertThat(JobConfiguration.of(cluster, new String[0]).get(ForecastOptions.HISTORY))
                .isEqualTo(48);
    }

    @Test
    void aRenamedOptionIsStillReadUnderItsOldKey() {
        Configuration job =
                JobConfiguration.of(
                        new Configuration(), new String[] {"--sensorcast.forecast.window", "64"});
        assertThat(job.get(ForecastOptions.HISTORY)).isEqualTo(64);
    }

    @Test
    void anUnknownSensorcastKeyFailsNamingItAndTheNearestKnownOne() {
        assertThatThrownBy(
                        () ->
                                JobConfiguration.of(
                                        new Configuration(),
                                        new String[] {"--sensorcast.forecast.histry", "64"}))
                .hasMessage(
                        "unknown option sensorcast.forecast.histry (did you mean"
                                + " sensorcast.forecast.history?); the options are listed in"
                                + " docs/configuration.md");
        assertThatThrownBy(
                        () ->
                                JobConfiguration.of(
                                        cluster("sensorcast.retrain.epoch", "3"), new String[0]))
                .hasMessageStartingWith(
                        "unknown option sensorcast.retrain.epoch (did you mean"
                                + " sensorcast.retrain.epochs?)");
    }

    @Test
    void argumentsRenderAndParseBack() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("sensorcast.forecast.history", "48");
        options.put("sensorcast.models.root", "s3://bucket/models");
        String[] args = JobConfiguration.render(options).toArray(new String[0]);
        assertThat(args)
                .containsExactly(
                        "--sensorcast.forecast.history",
                        "48",
                        "--sensorcast.models.root",
                        "s3://bucket/models");
        assertThat(JobConfiguration.parseArgs(args).toMap()).isEqualTo(options);
        assertThatThrownBy(() -> JobConfiguration.parseArgs(new String[] {"window", "48"}))
                .hasMessage("expected --key value pairs, got 'window'");
    }
}
