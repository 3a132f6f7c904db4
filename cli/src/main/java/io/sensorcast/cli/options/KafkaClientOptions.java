package io.sensorcast.cli.options;

import io.sensorcast.connectors.kafka.KafkaOptions;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * How every command that talks to Kafka reaches it: bootstrap servers, and any Kafka client
 * property (SASL, SSL, timeouts) from a file in Kafka's own properties format or from {@code -X} —
 * so secrets can stay in a file instead of on the command line, where {@code ps} and shell history
 * would show them. Values are never printed.
 */
public final class KafkaClientOptions {

    static final String DEFAULT_BOOTSTRAP = "localhost:9092";

    @Option(
            names = "--bootstrap",
            paramLabel = "HOST:PORT",
            description =
                    "Kafka bootstrap servers (default: bootstrap.servers of --kafka-config, else "
                            + DEFAULT_BOOTSTRAP
                            + ").")
    public String bootstrap;

    @Option(
            names = "--kafka-config",
            paramLabel = "FILE",
            description =
                    "Kafka client properties for every client of this command, in Kafka's"
                            + " properties format (security.protocol, sasl.jaas.config, ssl.*...).")
    public Path configFile;

    @Option(
            names = "-X",
            paramLabel = "KEY=VALUE",
            description = "One Kafka client property, over --kafka-config's.",
            showDefaultValue = CommandLine.Help.Visibility.NEVER)
    Map<String, String> overrides = new LinkedHashMap<>();

    /** The client properties: the file's, then {@code -X}, with {@code bootstrap.servers} set. */
    public Properties properties() {
        Properties p = given();
        p.setProperty("bootstrap.servers", bootstrap(p));
        return p;
    }

    /**
     * {@code --bootstrap}, else the properties' {@code bootstrap.servers}, else {@value
     * #DEFAULT_BOOTSTRAP}.
     */
    public String bootstrap() {
        return bootstrap != null ? bootstrap : bootstrap(given());
    }

    private String bootstrap(Properties given) {
        if (bootstrap != null) {
            return bootstrap;
        }
        String fromProperties = given.getProperty("bootstrap.servers");
        return fromProperties == null || fromProperties.isBlank()
                ? DEFAULT_BOOTSTRAP
                : fromProperties;
    }

    /** The properties of {@code --kafka-config}, then {@code -X} over them. */
    private Properties given() {
        Properties p = new Properties();
        if (configFile != null) {
            try (Reader in = Files.newBufferedReader(configFile)) {
                p.load(in);
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        "--kafka-config " + configFile + " cannot be read: " + e.getMessage(), e);
            }
        }
        overrides.forEach(p::setProperty);
        return p;
    }

    /**
     * Puts the bootstrap servers and every client property into a job configuration, under {@link
     * KafkaOptions#CLIENT_PREFIX}, which hands them to each of the job's Kafka clients.
     */
    public void applyTo(Configuration c) {
        Properties p = properties();
        c.set(KafkaOptions.BOOTSTRAP_SERVERS, p.getProperty("bootstrap.servers"));
        for (String key : p.stringPropertyNames()) {
            if (!key.equals("bootstrap.servers")) {
                c.setString(KafkaOptions.CLIENT_PREFIX + key, p.getProperty(key));
            }
        }
    }
}
