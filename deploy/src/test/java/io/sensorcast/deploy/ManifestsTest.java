package io.sensorcast.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorcast.connectors.kafka.KafkaOptions;
import io.sensorcast.pipeline.job.ForecastJob;
import io.sensorcast.pipeline.job.ForecastSettings;
import io.sensorcast.pipeline.job.JobConfiguration;
import io.sensorcast.pipeline.retrain.RetrainOptions;
import io.sensorcast.pipeline.store.ModelStoreOptions;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kubernetes, compose and Docker files, checked without a cluster: each parses, carries what
 * the Flink Kubernetes Operator and Kubernetes require, names classes that exist, and passes job
 * arguments that the jobs' own option checks accept.
 */
class ManifestsTest {

    private static final Path KUBERNETES = Path.of("kubernetes");
    private static final Path DOCKER = Path.of("docker");
    private static final String FLINK = EnvironmentInformation.getVersion(); // e.g. 2.2.1
    private static final String JOB_JAR = "/opt/flink/usrlib/sensorcast-job.jar";

    @Test
    void everyYamlFileParses() throws IOException {
        List<Path> files = yamlFiles();
        assertThat(files).hasSizeGreaterThanOrEqualTo(6);
        for (Path f : files) {
            assertThat(documents(f)).as("%s", f).isNotEmpty().doesNotContainNull();
        }
    }

    @Test
    void kustomizationListsEveryManifestAndOnlyExistingOnes() throws IOException {
        Map<String, Object> k = documents(KUBERNETES.resolve("kustomization.yaml")).get(0);
        Set<String> manifests = new HashSet<>();
        Set<String> monitoring = new HashSet<>(Set.of(".."));
        for (Path f : yamlFiles()) {
            if (isManifest(f)) {
                (f.getParent().equals(KUBERNETES) ? manifests : monitoring)
                        .add(f.getFileName().toString());
            }
        }
        assertThat(new HashSet<>(list(k, "resources"))).isEqualTo(manifests);
        // the Prometheus Operator's kinds only in the monitoring overlay: without its CRDs the
        // base applies whole
        Map<String, Object> overlay =
                documents(KUBERNETES.resolve("monitoring/kustomization.yaml")).get(0);
        assertThat(new HashSet<>(list(overlay, "resources"))).isEqualTo(monitoring);
        for (Path f : yamlFiles()) {
            if (isManifest(f) && f.getParent().equals(KUBERNETES)) {
                for (Map<String, Object> doc : documents(f)) {
                    assertThat(string(doc, "apiVersion"))
                            .as("%s in the base", f)
                            .doesNotStartWith("monitoring.coreos.com");
                }
            }
        }
        // `images:` rewrites FlinkDeployment.spec.image too, not only the built-in kinds'
        assertThat(list(k, "configurations")).containsExactly("kustomizeconfig.yaml");
        Map<String, Object> config = documents(KUBERNETES.resolve("kustomizeconfig.yaml")).get(0);
        assertThat(list(config, "images"))
                .contains(Map.of("path", "spec/image", "kind", "FlinkDeployment"));
    }

    @Test
    void everyKubernetesObjectHasKindVersionAndAValidName() throws IOException {
        for (Map<String, Object> doc : kubernetesObjects()) {
            assertThat(string(doc, "apiVersion")).isNotBlank();
            assertThat(string(doc, "kind")).isNotBlank();
            assertThat(string(doc, "metadata", "name"))
                    .matches("[a-z0-9]([-a-z0-9]{0,43}[a-z0-9])?");
        }
    }

    @Test
    void flinkDeploymentsCarryWhatTheOperatorRequires() throws Exception {
        List<Map<String, Object>> deployments = ofKind("FlinkDeployment");
        assertThat(deployments).hasSize(2);
        for (Map<String, Object> d : deployments) {
            String name = string(d, "metadata", "name");
            assertThat(string(d, "apiVersion")).isEqualTo("flink.apache.org/v1beta1");
            assertThat(string(d, "spec", "image")).as(name).startsWith("sensorcast:");
            assertThat(string(d, "spec", "flinkVersion"))
                    .as("%s: the image's Flink %s", name, FLINK)
                    .isEqualTo("v" + FLINK.replaceFirst("^(\\d+)\\.(\\d+).*", "$1_$2"));
            assertThat(string(d, "spec", "serviceAccount")).as(name).isNotBlank();
            for (String role : List.of("jobManager", "taskManager")) {
                MemorySize.parse(string(d, "spec", role, "resource", "memory"));
                assertThat(((Number) get(d, "spec", role, "resource", "cpu")).doubleValue())
                        .isPositive();
            }
            Map<String, Object> conf = map(d, "spec", "flinkConfiguration");
            conf.forEach(
                    (k, v) ->
                            assertThat(v)
                                    .as("%s: flinkConfiguration %s must be a string", name, k)
                                    .isInstanceOf(String.class));
            assertThat(conf).containsKeys("high-availability.type", "high-availability.storageDir");
            assertStateOnRocksDbWithMemorySized(name, conf);
            assertPrometheusScrapesTheReporter(d, conf);
            assertPluginsMatchFlink(list(containers(d).get(0), "env"));

            Map<String, Object> job = map(d, "spec", "job");
            if (job == null) {
                continue; // a session cluster
            }
            assertThat(string(job, "jarURI")).isEqualTo("local://" + JOB_JAR);
            assertMain(string(job, "entryClass"));
            assertThat((Integer) job.get("parallelism")).isPositive();
            assertThat(string(job, "state")).isIn("running", "suspended");
            String upgrade = string(job, "upgradeMode");
            assertThat(upgrade).isIn("stateless", "savepoint", "last-state");
            if (!upgrade.equals("stateless")) {
                assertThat(conf)
                        .as(
                                "%s: %s upgrades need checkpoints and a savepoint directory",
                                name, upgrade)
                        .containsKeys(
                                "execution.checkpointing.interval",
                                "execution.checkpointing.dir",
                                "execution.checkpointing.savepoint-dir");
            }
            assertForecastArgs(list(job, "args"));
        }
    }

    @Test
    void theRetrainCronJobSubmitsOnceModeRoundsToTheSessionCluster() throws Exception {
        List<Map<String, Object>> cronJobs = ofKind("CronJob");
        assertThat(cronJobs).hasSize(1);
        Map<String, Object> cron = cronJobs.get(0);
        assertThat(string(cron, "apiVersion")).isEqualTo("batch/v1");
        assertThat(string(cron, "spec", "schedule").split(" ")).hasSize(5);
        assertThat(string(cron, "spec", "concurrencyPolicy")).isEqualTo("Forbid");
        Map<String, Object> pod = map(cron, "spec", "jobTemplate", "spec", "template", "spec");
        assertThat(string(pod, "restartPolicy")).isIn("Never", "OnFailure");
        List<String> command = list(containers(pod).get(0), "command");
        assertThat(command.subList(0, 2)).containsExactly("/opt/flink/bin/flink", "run");

        String jobManager = command.get(command.indexOf("--jobmanager") + 1);
        Set<String> sessions = new HashSet<>();
        for (Map<String, Object> d : ofKind("FlinkDeployment")) {
            if (map(d, "spec", "job") == null) {
                sessions.add(string(d, "metadata", "name") + "-rest:8081");
            }
        }
        assertThat(sessions)
                .as("the operator's REST service of a session cluster")
                .contains(jobManager);
        assertMain(command.get(command.indexOf("--class") + 1));
        int jar = command.indexOf(JOB_JAR);
        assertThat(jar).isPositive();
        Configuration config =
                ForecastJob.parseArgs(args(command.subList(jar + 1, command.size())));
        assertThat(config.get(RetrainOptions.MODE)).isEqualTo(RetrainOptions.Mode.ONCE);
        RetrainOptions.validate(config);
        KafkaOptions.validate(config);
        assertPluginsMatchFlink(list(containers(pod).get(0), "env"));
    }

    @Test
    void composeRunsKraftKafkaAndForecastJobOnTheSensorcastImage() throws Exception {
        Map<String, Object> compose = documents(DOCKER.resolve("docker-compose.yml")).get(0);
        Map<String, Object> services = map(compose, "services");
        assertThat(services).containsOnlyKeys("kafka", "topics", "jobmanager", "taskmanager");
        Map<String, Object> kafka = map(services, "kafka");
        assertThat(map(kafka, "environment"))
                .containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
                .doesNotContainKey("KAFKA_ZOOKEEPER_CONNECT");
        Map<String, Object> jm = map(services, "jobmanager");
        assertThat(string(jm, "build", "dockerfile")).isEqualTo("docker/Dockerfile");
        assertThat(
                        Files.exists(
                                DOCKER.resolve(string(jm, "build", "context"))
                                        .resolve("docker/Dockerfile")))
                .isTrue();
        assertThat(string(map(services, "taskmanager"), "image")).isEqualTo(string(jm, "image"));
        // the operational fixes: loopback-only ports, restart policies, Kafka data on a volume,
        // the model directory at the same path inside as outside, no space-separated JVM options
        for (String name : List.of("kafka", "jobmanager")) {
            List<String> ports = list(map(services, name), "ports");
            assertThat(ports).allSatisfy(p -> assertThat(p).startsWith("127.0.0.1:"));
        }
        assertThat(list(map(services, "kafka"), "ports")).containsExactly("127.0.0.1:9092:9094");
        for (String name : List.of("kafka", "jobmanager", "taskmanager")) {
            assertThat(string(map(services, name), "restart")).isEqualTo("unless-stopped");
        }
        assertThat(list(map(services, "kafka"), "volumes"))
                .containsExactly("kafka:/var/lib/kafka/data");
        String models = "${SENSORCAST_MODELS:-/srv/sensorcast/models}";
        for (String name : List.of("jobmanager", "taskmanager")) {
            List<Object> volumes = list(map(services, name), "volumes");
            assertThat(volumes)
                    .as(
                            "%s: the models at the same path, read-only, never created root-owned",
                            name)
                    .contains(
                            Map.of(
                                    "type",
                                    "bind",
                                    "source",
                                    models,
                                    "target",
                                    models,
                                    "read_only",
                                    true,
                                    "bind",
                                    Map.of("create_host_path", false)));
        }
        assertTopicsCreatedBeforeTheJobs(services);
        Map<String, String> properties = new java.util.LinkedHashMap<>();
        for (String line : string(jm, "environment", "FLINK_PROPERTIES").split("\n")) {
            String value = line.substring(line.indexOf(':') + 1).trim();
            assertThat(value).as(line).doesNotContain(" ");
            properties.put(line.substring(0, line.indexOf(':')).trim(), value);
        }
        assertStateOnRocksDbWithMemorySized("compose", properties);
        List<String> command = list(jm, "command");
        assertThat(command.subList(0, 2)).containsExactly("standalone-job", "--job-classname");
        assertMain(command.get(2));
        assertForecastArgs(command.subList(3, command.size()));
    }

    /**
     * The broker creates no topic on its own, and the one-shot topics service creates every topic
     * of {@code sensorcast topics create} before the JobManager starts.
     */
    private static void assertTopicsCreatedBeforeTheJobs(Map<String, Object> services) {
        assertThat(map(map(services, "kafka"), "environment"))
                .containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
        String script = String.join("\n", list(map(services, "topics"), "command"));
        for (var spec :
                io.sensorcast.connectors.kafka.KafkaTopics.layout(
                        4, java.time.Duration.ofDays(7))) {
            String topic = spec.option().defaultValue();
            String name = topic.substring("sensorcast.".length());
            assertThat(
                            script.contains("sensorcast." + name)
                                    || script.contains(" " + name + " ")
                                    || script.contains(" " + name + ";"))
                    .as("the topics service creates %s", topic)
                    .isTrue();
        }
        assertThat(map(map(map(services, "jobmanager"), "depends_on"), "topics"))
                .containsEntry("condition", "service_completed_successfully");
    }

    /**
     * Every Flink series the dashboard and the alert rules query selects ForecastJob by its job
     * name (the dashboard through its {@code job} variable): the retraining rounds re-read the
     * readings topic every round and would spike the rates and the lag.
     */
    @Test
    void theDashboardAndTheAlertsSelectTheForecastJob() throws IOException {
        Pattern series = Pattern.compile("(flink_[A-Za-z0-9_]+)(\\{[^}]*})?");
        Map<String, String> files =
                Map.of(
                        "grafana/sensorcast-dashboard.json",
                        "job_name=~\\\"$job\\\"",
                        "kubernetes/monitoring/alert-rules.yaml",
                        "job_name=\"sensorcast-forecast\"");
        for (Map.Entry<String, String> f : files.entrySet()) {
            String text = Files.readString(Path.of(f.getKey()));
            Matcher m = series.matcher(text);
            int found = 0;
            while (m.find()) {
                if (text.startsWith("label_values(", m.start() - "label_values(".length())) {
                    continue; // the job variable's own list of job names
                }
                found++;
                assertThat(m.group(2))
                        .as("%s: %s selects the forecast job", f.getKey(), m.group(1))
                        .isNotNull()
                        .contains(f.getValue());
            }
            assertThat(found).as(f.getKey()).isGreaterThan(10);
        }
    }

    @Test
    void theImageSendsOnlyWhatTheDockerfileCopies() throws IOException {
        List<String> ignore =
                Files.readAllLines(Path.of(".dockerignore")).stream()
                        .filter(l -> !l.isBlank() && !l.startsWith("#"))
                        .toList();
        List<String> copied = new ArrayList<>();
        Matcher copy =
                Pattern.compile("(?m)^COPY (?:--\\S+ )*(\\S+) ")
                        .matcher(Files.readString(DOCKER.resolve("Dockerfile")));
        while (copy.find()) {
            copied.add("!" + copy.group(1));
        }
        assertThat(copied).isNotEmpty();
        assertThat(ignore).first().isEqualTo("*");
        assertThat(ignore.subList(1, ignore.size())).containsExactlyInAnyOrderElementsOf(copied);
    }

    @Test
    void theImageIsTheOfficialFlinkOneWithDjlInLibAndTheJarInUsrlib() throws IOException {
        String dockerfile = Files.readString(DOCKER.resolve("Dockerfile"));
        Matcher from = Pattern.compile("ARG FLINK_IMAGE=flink:(\\S+)-java17").matcher(dockerfile);
        assertThat(from.find()).isTrue();
        assertThat(from.group(1)).isEqualTo(FLINK);
        assertThat(dockerfile)
                .contains("COPY --chown=flink:flink target/lib-djl/ /opt/flink/lib/")
                .contains("COPY --chown=flink:flink target/sensorcast-job.jar " + JOB_JAR)
                // the checkpoint volume's mount point, owned by the user Flink runs as
                .containsPattern("chown flink:flink [^\\n]*/state");
    }

    // ---------------------------------------------------------------------------------------

    /** Job arguments: --key value pairs of known options, accepted by the jobs' checks. */
    /**
     * RocksDB with incremental checkpoints; its managed memory and the native libraries' headroom
     * (task off-heap) set explicitly, each a real share of the TaskManager.
     */
    private static void assertStateOnRocksDbWithMemorySized(String name, Map<String, ?> conf) {
        assertThat(String.valueOf(conf.get("state.backend.type"))).as(name).isEqualTo("rocksdb");
        assertThat(String.valueOf(conf.get("execution.checkpointing.incremental")))
                .as(name)
                .isEqualTo("true");
        assertThat(conf).as(name).doesNotContainKey("taskmanager.memory.managed.fraction");
        for (String key :
                List.of(
                        "taskmanager.memory.managed.size",
                        "taskmanager.memory.task.off-heap.size")) {
            assertThat(MemorySize.parse(String.valueOf(conf.get(key))).getMebiBytes())
                    .as("%s: %s", name, key)
                    .isGreaterThanOrEqualTo(256);
        }
    }

    private static void assertForecastArgs(List<String> args) {
        Set<String> known = knownKeys();
        for (int i = 0; i < args.size(); i += 2) {
            assertThat(args.get(i)).startsWith("--");
            assertThat(known).as("a sensorcast option").contains(args.get(i).substring(2));
        }
        Configuration config = ForecastJob.parseArgs(args(args));
        KafkaOptions.validate(config);
        ForecastSettings.of(config);
        assertThat(config.get(KafkaOptions.BOOTSTRAP_SERVERS)).isNotEqualTo("localhost:9092");
        assertThat(config.get(ModelStoreOptions.ROOT)).contains("://");
    }

    private static String[] args(List<String> args) {
        return args.toArray(new String[0]);
    }

    private static Set<String> knownKeys() {
        return JobConfiguration.knownKeys();
    }

    private static void assertMain(String className) throws Exception {
        Method main = Class.forName(className).getMethod("main", String[].class);
        assertThat(Modifier.isStatic(main.getModifiers())).as(className).isTrue();
    }

    private static void assertPrometheusScrapesTheReporter(
            Map<String, Object> d, Map<String, Object> conf) throws IOException {
        assertThat(string(conf, "metrics.reporter.prom.factory.class"))
                .isEqualTo("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        String port = string(conf, "metrics.reporter.prom.port");
        assertThat(
                        string(
                                d,
                                "spec",
                                "podTemplate",
                                "metadata",
                                "annotations",
                                "prometheus.io/port"))
                .isEqualTo(port);
        Map<String, Object> container = containers(d).get(0);
        assertThat(string(container, "name")).isEqualTo("flink-main-container");
        List<Map<String, Object>> ports = list(container, "ports");
        assertThat(ports)
                .anySatisfy(
                        p -> {
                            assertThat(p.get("name")).isEqualTo("metrics");
                            assertThat(p.get("containerPort").toString()).isEqualTo(port);
                        });
        Map<String, Object> monitor = ofKind("PodMonitor").get(0);
        assertThat(map(d, "spec", "podTemplate", "metadata", "labels"))
                .containsAllEntriesOf(map(monitor, "spec", "selector", "matchLabels"));
    }

    /** The built-in plugins the official image enables by jar name carry its Flink version. */
    private static void assertPluginsMatchFlink(List<Map<String, Object>> env) {
        for (Map<String, Object> e : env) {
            if ("ENABLE_BUILT_IN_PLUGINS".equals(e.get("name"))) {
                for (String jar : e.get("value").toString().split(";")) {
                    assertThat(jar).endsWith("-" + FLINK + ".jar");
                }
            }
        }
    }

    private static List<Map<String, Object>> containers(Map<String, Object> podOrDeployment) {
        Map<String, Object> spec =
                podOrDeployment.containsKey("containers")
                        ? podOrDeployment
                        : map(podOrDeployment, "spec", "podTemplate", "spec");
        return list(spec, "containers");
    }

    /** A Kubernetes manifest, not kustomize's own files. */
    private static boolean isManifest(Path f) {
        return f.startsWith(KUBERNETES)
                && !f.endsWith("kustomization.yaml")
                && !f.endsWith("kustomizeconfig.yaml");
    }

    private static List<Map<String, Object>> ofKind(String kind) throws IOException {
        return kubernetesObjects().stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    private static List<Map<String, Object>> kubernetesObjects() throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Path f : yamlFiles()) {
            if (isManifest(f)) {
                out.addAll(documents(f));
            }
        }
        return out;
    }

    private static List<Path> yamlFiles() throws IOException {
        try (Stream<Path> files = Stream.concat(Files.walk(KUBERNETES), Files.walk(DOCKER))) {
            return files.filter(f -> f.toString().matches(".*\\.ya?ml$")).sorted().toList();
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> documents(Path file) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object doc : new Yaml().loadAll(Files.readString(file))) {
            out.add((Map<String, Object>) doc);
        }
        return out;
    }

    private static Object get(Map<String, Object> root, String... path) {
        Object node = root;
        for (String p : path) {
            if (!(node instanceof Map<?, ?> m)) {
                return null;
            }
            node = m.get(p);
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> root, String... path) {
        return (Map<String, Object>) get(root, path);
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> list(Map<String, Object> root, String... path) {
        Object node = get(root, path);
        assertThat(node).as(String.join(".", path)).isInstanceOf(List.class);
        return (List<T>) node;
    }

    private static String string(Map<String, Object> root, String... path) {
        Object node = get(root, path);
        assertThat(node).as(String.join(".", path)).isNotNull();
        return node.toString();
    }
}
