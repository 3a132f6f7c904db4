package io.sensorcast.connectors.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import net.sourceforge.argparse4j.inf.Namespace;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker in KRaft mode, in this JVM: one node acting as broker and controller,
 * formatted with Kafka's own {@code StorageTool} and run by {@code KafkaRaftServer}. For tests, the
 * demo and {@code sensorcast kafka}; not a production deployment.
 *
 * <p>Internal topics (consumer offsets, transaction state, share-group state) have replication
 * factor 1 and min ISR 1 so transactions work on one node; consumer groups start without the
 * initial rebalance delay; retention is unlimited so replayed historical data (whose record
 * timestamps are years old) is not deleted. With no directory given, the broker lives in a
 * temporary directory removed on {@link #close()}.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private final KafkaRaftServer server;
    private final Path dir;
    private final boolean temporary;
    private final int port;

    private int saslPort = -1;

    private EmbeddedKafkaBroker(KafkaRaftServer server, Path dir, boolean temporary, int port) {
        this.server = server;
        this.dir = dir;
        this.temporary = temporary;
        this.port = port;
    }

    /** A broker on free ports in a temporary directory. */
    public static EmbeddedKafkaBroker start() {
        return start(0, null);
    }

    /**
     * Starts a broker.
     *
     * @param port the client port, 0 for a free one
     * @param dataDir where the logs live (kept on close, reused on the next start), or null for a
     *     temporary directory
     */
    public static EmbeddedKafkaBroker start(int port, Path dataDir) {
        return start(port, dataDir, Map.of());
    }

    /**
     * Starts a broker with some of its settings changed (e.g. {@code auto.create.topics.enable}
     * off, as on most production clusters).
     */
    public static EmbeddedKafkaBroker start(int port, Path dataDir, Map<String, String> overrides) {
        return start(port, dataDir, overrides, -1);
    }

    /** {@link #start(int, Path, Map)}, with a SASL/PLAIN listener on {@code saslPort} if >= 0. */
    private static EmbeddedKafkaBroker start(
            int port, Path dataDir, Map<String, String> overrides, int saslPort) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
        }
        boolean temporary = dataDir == null;
        Path dir;
        try {
            dir = temporary ? Files.createTempDirectory("sensorcast-kafka-") : dataDir;
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the Kafka data directory", e);
        }
        int clientPort = port == 0 ? freePort() : port;
        int controllerPort = freePort();
        Properties props = serverProperties(dir, clientPort, controllerPort, saslPort);
        overrides.forEach(props::setProperty);
        try {
            format(dir, props);
            KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
            server.startup();
            EmbeddedKafkaBroker broker =
                    new EmbeddedKafkaBroker(server, dir, temporary, clientPort);
            broker.saslPort = saslPort;
            broker.awaitReady();
            LOG.info("Kafka {} (KRaft) listening on {}", kafkaVersion(), broker.bootstrapServers());
            return broker;
        } catch (RuntimeException | IOException e) {
            if (temporary) {
                deleteRecursively(dir);
            }
            throw new IllegalStateException("embedded Kafka broker failed to start: " + e, e);
        }
    }

    static Properties serverProperties(Path dir, int clientPort, int controllerPort, int saslPort) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        String sasl = saslPort < 0 ? "" : ",SASL_PLAINTEXT://127.0.0.1:" + saslPort;
        p.setProperty(
                "listeners",
                "PLAINTEXT://127.0.0.1:"
                        + clientPort
                        + ",CONTROLLER://127.0.0.1:"
                        + controllerPort
                        + sasl);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort + sasl);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty(
                "listener.security.protocol.map",
                "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
                        + (saslPort < 0 ? "" : ",SASL_PLAINTEXT:SASL_PLAINTEXT"));
        p.setProperty("log.dirs", dir.resolve("logs").toString());
        p.setProperty("num.partitions", "1");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "5");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "5");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("log.retention.ms", "-1");
        p.setProperty("auto.create.topics.enable", "true");
        return p;
    }

    /**
     * Formats the log directory with a new cluster id, unless a previous start formatted it: a
     * restart keeps its cluster id (a new one would be refused against the logs' own).
     */
    private static void format(Path dir, Properties props) throws IOException {
        if (Files.exists(dir.resolve("logs").resolve("meta.properties"))) {
            return;
        }
        Path config = dir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            props.store(out, "sensorcast embedded broker");
        }
        Namespace args =
                StorageTool.parseArguments(
                        new String[] {
                            "format",
                            "--cluster-id",
                            Uuid.randomUuid().toString(),
                            "--config",
                            config.toString(),
                            "--ignore-formatted"
                        });
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (PrintStream print = new PrintStream(log, true, StandardCharsets.UTF_8)) {
            StorageTool.runFormatCommand(args, new KafkaConfig(props), print);
        }
        LOG.debug("StorageTool: {}", log.toString(StandardCharsets.UTF_8).trim());
    }

    private void awaitReady() {
        try (Admin admin = admin()) {
            admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", e);
        } catch (Exception e) {
            throw new IllegalStateException("broker did not become ready: " + e, e);
        }
    }

    /**
     * A broker in a temporary directory that also authenticates clients with SASL/PLAIN on a
     * listener of its own ({@link #saslBootstrapServers()}), user {@code user} with {@code
     * password}: for tests of clients configured for a secured cluster. The PLAINTEXT listener
     * stays, for the broker itself and for checking from the outside.
     */
    public static EmbeddedKafkaBroker startWithSaslPlain(String user, String password) {
        String jaas =
                "org.apache.kafka.common.security.plain.PlainLoginModule required user_"
                        + user
                        + "=\""
                        + password
                        + "\";";
        return start(
                0,
                null,
                Map.of(
                        "sasl.enabled.mechanisms",
                        "PLAIN",
                        "listener.name.sasl_plaintext.plain.sasl.jaas.config",
                        jaas),
                freePort());
    }

    /** The SASL/PLAIN listener of {@link #startWithSaslPlain}. */
    public String saslBootstrapServers() {
        if (saslPort < 0) {
            throw new IllegalStateException("this broker has no SASL listener");
        }
        return "127.0.0.1:" + saslPort;
    }

    /** {@code 127.0.0.1:port}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public Path dataDir() {
        return dir;
    }

    /** An admin client for this broker; the caller closes it. */
    public Admin admin() {
        return Admin.create(
                Map.of(
                        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers(),
                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                        60_000));
    }

    /** Creates the topics that do not exist yet, each with {@code partitions} partitions. */
    public void createTopics(int partitions, String... topics) {
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String t : topics) {
                if (!existing.contains(t)) {
                    missing.add(new NewTopic(t, partitions, (short) 1));
                }
            }
            admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topics: " + e.getCause(), e);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topics: " + e, e);
        }
    }

    /** Stops the broker and, for a temporary one, deletes its directory. */
    @Override
    public void close() {
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            if (temporary) {
                deleteRecursively(dir);
            }
        }
    }

    /** Blocks until the broker stops (for {@code sensorcast kafka}). */
    public void awaitShutdown() {
        server.awaitShutdown();
    }

    static String kafkaVersion() {
        return org.apache.kafka.common.utils.AppInfoParser.getVersion();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(
                    root,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                                throws IOException {
                            Files.deleteIfExists(file);
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult postVisitDirectory(Path d, IOException e)
                                throws IOException {
                            Files.deleteIfExists(d);
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", root, e.toString());
        }
    }
}
