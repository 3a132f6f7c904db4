package io.sensorcast.pipeline.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.kafka.EmbeddedKafkaBroker;
import io.sensorcast.connectors.testutils.TestClusters;
import io.sensorcast.pipeline.data.CsvReadings;
import io.sensorcast.pipeline.testutils.KafkaJobs;
import io.sensorcast.pipeline.testutils.TestModels;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * ForecastJob's metrics as Flink's Prometheus reporter exports them — the reporter the cluster
 * images run — and every series the Grafana dashboard and the alert rules in {@code deploy/} query
 * is among them, so neither can silently point at a name that does not exist.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class PrometheusMetricsITCase {

    private static final int PORT = freePort();
    private static final Path DEPLOY =
            Path.of(System.getProperty("sensorcast.deploy.dir", "../deploy"));

    @RegisterExtension
    static final MiniClusterExtension FLINK = TestClusters.flink(2, prometheus());

    @TempDir Path work;

    private static Configuration prometheus() {
        Configuration c = new Configuration();
        c.setString(
                "metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        c.setString("metrics.reporter.prom.port", Integer.toString(PORT));
        return c;
    }

    @Test
    void theDashboardAndAlertsQueryOnlySeriesTheJobExports() throws Exception {
        String sensor = "ec2_request_latency_system_failure";
        List<SensorReading> readings =
                new java.util.ArrayList<>(
                        CsvReadings.read(TestModels.nab("realKnownCause", sensor), sensor)
                                .subList(0, 400));
        // far out of range after the detector's warm-up: one anomaly for the per-group counter
        readings.set(350, SensorReading.of(sensor, readings.get(350).timestamp, 1e6));
        Set<String> exported;
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
            Configuration config = KafkaJobs.config(kafka, work.resolve("store"), 24, "prom-it");
            config.set(ForecastOptions.SOURCE_IDLENESS, Duration.ofSeconds(1));
            Path artifact = work.resolve("artifact");
            TestModels.trainOneStep(
                    TestModels.nab("realKnownCause", sensor),
                    24,
                    new io.sensorcast.model.dataset.TimeSplit(300, 400, 500),
                    1,
                    artifact);
            new io.sensorcast.pipeline.store.ModelPublisher(config, "prom-it")
                    .publish(sensor, artifact); // a model version gauge to export
            KafkaJobs.replay(kafka, readings, 2);
            Properties p = new Properties();
            p.setProperty("bootstrap.servers", kafka.bootstrapServers());
            try (KafkaProducer<byte[], byte[]> producer =
                    new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>("sensorcast.readings", bytes("x"), bytes("{")))
                        .get(); // one dead letter
            }
            JobClient job = KafkaJobs.startForecastJob(config, 2, "prometheus-it");
            try {
                assertThat(KafkaJobs.forecasts(kafka, 300, Duration.ofSeconds(90)))
                        .hasSizeGreaterThanOrEqualTo(300);
                KafkaJobs.await(
                        "scores, a dead letter and a completed checkpoint in the export",
                        Duration.ofSeconds(60),
                        () -> {
                            String text = scrape();
                            return text.contains("sensorcast_group_anomalies")
                                    && text.contains("sensorcast_readingsScored")
                                    && text.contains("sensorcast_model_version")
                                    && text.contains("sensorcast_reason_deadLetters")
                                    && text.contains("lastCheckpointDuration");
                        });
                String text = scrape();
                exported = names(text);
                // the labels the dashboard and the rules group by
                assertThat(text)
                        .containsPattern(
                                "_deserializer_sensorcast_reason_deadLetters\\{[^}]*reason=\"MALFORMED_JSON\"")
                        .containsPattern(
                                "_sensorcast_group_anomalies\\{[^}]*group=\"" + sensor + "\"")
                        .containsPattern(
                                "_sensorcast_model_version\\{[^}]*model=\"" + sensor + "\"")
                        .containsPattern(
                                "_sensorcast_readingToForecastMillis\\{[^}]*quantile=\"0.99\"")
                        .containsPattern(
                                "flink_jobmanager_job_lastCheckpointDuration\\{[^}]*job_name=");
            } finally {
                job.cancel().get();
            }
        }
        Set<String> queried = new TreeSet<>();
        queried.addAll(
                queriedNames(
                        Files.readString(DEPLOY.resolve("grafana/sensorcast-dashboard.json"))));
        queried.addAll(
                queriedNames(
                        Files.readString(
                                DEPLOY.resolve("kubernetes/monitoring/alert-rules.yaml"))));
        assertThat(queried).hasSizeGreaterThanOrEqualTo(10);
        assertThat(exported).as("exported series").containsAll(queried);
    }

    /** Metric names of a Prometheus text exposition (histograms' suffixes included). */
    private static Set<String> names(String exposition) {
        Set<String> out = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                Matcher m = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)").matcher(line);
                if (m.find()) {
                    out.add(m.group(1));
                }
            }
        }
        return out;
    }

    /** The {@code flink_*} metric names a dashboard or rule file queries. */
    private static Set<String> queriedNames(String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile("\\b(flink_[a-zA-Z0-9_]+)").matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static String scrape() {
        try {
            return HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://localhost:" + PORT + "/"))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
