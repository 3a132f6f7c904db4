package io.sensorcast.cli;

import io.sensorcast.connectors.kafka.KafkaOptions;
import io.sensorcast.pipeline.config.SharedOptions;
import io.sensorcast.pipeline.job.ForecastOptions;
import io.sensorcast.pipeline.job.ForecastSettings;
import io.sensorcast.pipeline.job.JobConfiguration;
import io.sensorcast.pipeline.retrain.RetrainOptions;
import io.sensorcast.pipeline.store.ModelStoreOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.description.HtmlFormatter;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine;

/**
 * The two generated pages of {@code docs/}: the configuration reference, from the {@code
 * ConfigOption} fields of the options classes, and the CLI reference, from picocli's usage help.
 * {@link ReferenceDocsTest} fails when either page differs from what this makes, and rewrites them
 * when asked to.
 */
final class ReferenceDocs {

    /**
     * The title of each options class's section; the sections are the classes whose keys the jobs
     * know ({@link JobConfiguration#OPTION_CLASSES}), in that order.
     */
    private static final Map<Class<?>, String> TITLES =
            Map.of(
                    KafkaOptions.class, "Kafka: brokers, topics, delivery, readings",
                    ForecastOptions.class, "ForecastJob, models served, the detector",
                    SharedOptions.class, "Both jobs: seasonal inputs and engine threads",
                    ModelStoreOptions.class, "Model store",
                    RetrainOptions.class, "RetrainJob");

    static final String CONFIGURATION_PAGE = "configuration.md";
    static final String CLI_PAGE = "cli.md";

    private ReferenceDocs() {}

    static String configurationPage() {
        StringBuilder md = new StringBuilder();
        md.append("# Configuration\n\n")
                .append(generatedNote())
                .append(
                        "Every `sensorcast.*` key is a Flink `ConfigOption`. The jobs read them from"
                                + " the cluster's Flink configuration (`config.yaml`, a"
                                + " FlinkDeployment's `flinkConfiguration`, `-D` on submit) with"
                                + " `--key value` job arguments over them; the CLI's job commands"
                                + " take them as `-D key=value`. A misspelt `sensorcast.*` key stops"
                                + " the job at start, naming the nearest known key, and a value out"
                                + " of range fails when the job is built, naming the key and the"
                                + " range it allows. Durations are Flink's (`30 s`, `10min`, `7d`),"
                                + " lists are `;`-separated. \"allowed\" is read off those checks, with"
                                + " every other option at its default (a range that depends on"
                                + " another option, such as `min-window` ≤ `window`, shows it at"
                                + " that default).\n\n"
                                + "Keys under `sensorcast.kafka.client.` are passed without the"
                                + " prefix to every Kafka client the jobs make (SASL, SSL,"
                                + " timeouts; see [Kafka](kafka.md)). JVM-wide engine settings are"
                                + " system properties, not options: see [the model](model.md#engine-settings).\n");
        JobConfiguration.OPTION_CLASSES.forEach(
                type -> {
                    String title = TITLES.get(type);
                    if (title == null) {
                        throw new IllegalStateException("no section title for " + type.getName());
                    }
                    md.append("\n## ").append(title).append("\n\n");
                    md.append("`").append(type.getName()).append("`\n\n");
                    md.append(
                            "| key | type | default | allowed | meaning |\n|---|---|---|---|---|\n");
                    for (ConfigOption<?> o : JobConfiguration.optionsOf(type)) {
                        md.append("| `")
                                .append(o.key())
                                .append("` | ")
                                .append(typeName(o))
                                .append(" | ")
                                .append(
                                        !o.hasDefaultValue() || render(o.defaultValue()).isEmpty()
                                                ? "(empty)"
                                                : "`" + render(o.defaultValue()) + "`")
                                .append(" | ")
                                .append(cell(allowed(o)))
                                .append(" | ")
                                .append(cell(new HtmlFormatter().format(o.description())))
                                .append(" |\n");
                    }
                });
        return md.toString();
    }

    static String cliPage() {
        CommandLine root = SensorcastCli.commandLine();
        StringBuilder md = new StringBuilder();
        md.append("# CLI reference\n\n")
                .append(generatedNote())
                .append(
                        "`./sensorcast` builds the CLI on first use (and again when a `pom.xml` or"
                                + " main source is newer than the jar), then runs it."
                                + " `SENSORCAST_JAVA_OPTS` passes JVM options. Exit codes: 0 ok, 1"
                                + " failure, 2 bad input or configuration (the message names the"
                                + " option and the range it allows). What each command does in the"
                                + " product is told on the page of its concern; this page is"
                                + " every command's `--help`.\n");
        appendCommand(md, root, "sensorcast");
        return md.toString();
    }

    private static void appendCommand(StringBuilder md, CommandLine cli, String path) {
        md.append("\n## `").append(path).append("`\n\n");
        md.append("```\n")
                .append(cli.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing())
                .append("\n```\n");
        for (Map.Entry<String, CommandLine> sub : cli.getSubcommands().entrySet()) {
            if (sub.getValue().getCommandSpec().userObject() instanceof CommandLine.HelpCommand) {
                continue;
            }
            if (!sub.getKey().equals(sub.getValue().getCommandName())) {
                continue; // an alias
            }
            appendCommand(md, sub.getValue(), path + " " + sub.getKey());
        }
    }

    private static String generatedNote() {
        return "<!-- Generated by cli/src/test/java/io/sensorcast/cli/ReferenceDocs.java: do not"
                + " edit. ReferenceDocsTest fails when it is stale; rewrite it with\n"
                + "     ./mvnw -B -pl cli -am test -Dtest=ReferenceDocsTest"
                + " -Dsurefire.failIfNoSpecifiedTests=false -Dsensorcast.docs.write=true -->\n\n";
    }

    /** Every class of ours, found where the class loader keeps {@code io/sensorcast}. */
    static Set<Class<?>> classesWithOptions() {
        Set<String> names = new TreeSet<>();
        try {
            Enumeration<URL> roots =
                    ReferenceDocs.class.getClassLoader().getResources("io/sensorcast");
            while (roots.hasMoreElements()) {
                URL root = roots.nextElement();
                if (root.toString().contains("test-classes")
                        || root.toString().contains("-tests.jar")) {
                    continue; // main code only
                }
                if (root.getProtocol().equals("jar")) {
                    var jar = ((JarURLConnection) root.openConnection()).getJarFile();
                    jar.stream()
                            .map(JarEntry::getName)
                            .filter(n -> n.startsWith("io/sensorcast/") && n.endsWith(".class"))
                            .forEach(n -> names.add(className(n)));
                } else {
                    Path dir = Path.of(root.toURI());
                    Path base = dir.getParent().getParent();
                    try (Stream<Path> files = Files.walk(dir)) {
                        files.filter(p -> p.toString().endsWith(".class"))
                                .forEach(p -> names.add(className(base.relativize(p).toString())));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return names.stream()
                .filter(n -> !n.contains("$"))
                .map(ReferenceDocs::load)
                .filter(c -> c != null && declaresOptions(c))
                .collect(Collectors.toCollection(() -> new java.util.LinkedHashSet<>()));
    }

    private static boolean declaresOptions(Class<?> type) {
        try {
            return !JobConfiguration.optionsOf(type).isEmpty();
        } catch (LinkageError e) {
            return false; // refers to a class that is not on this class path: not a main class's
        }
    }

    private static String className(String path) {
        return path.substring(0, path.length() - ".class".length())
                .replace('/', '.')
                .replace('\\', '.');
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, ReferenceDocs.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    /**
     * What the jobs' own checks allow for an option, read off their error for values far outside
     * any range (so the page cannot disagree with the checks), or "" where no such value fails.
     */
    static String allowed(ConfigOption<?> o) {
        List<String> probes =
                switch (typeName(o)) {
                    case "Integer" ->
                            List.of(
                                    String.valueOf(Integer.MIN_VALUE),
                                    String.valueOf(Integer.MAX_VALUE));
                    case "Long" ->
                            List.of(String.valueOf(Long.MIN_VALUE), String.valueOf(Long.MAX_VALUE));
                    case "Double" -> List.of("-1e300", "1e300");
                    case "Duration" -> List.of("0 ms", "100000 d");
                    default -> List.of();
                };
        Set<String> rules = new java.util.LinkedHashSet<>();
        if (valueClass(o).isEnum()) {
            for (Object constant : valueClass(o).getEnumConstants()) {
                rules.add(((Enum<?>) constant).name());
            }
            return String.join(", ", rules);
        }
        for (String probe : probes) {
            Configuration c = new Configuration();
            c.setString(o.key(), probe);
            try {
                KafkaOptions.validate(c);
                ForecastSettings.of(c);
                RetrainOptions.validate(c);
            } catch (IllegalArgumentException e) {
                String m = String.valueOf(e.getMessage());
                int at = m.indexOf(o.key() + " must be ");
                if (at >= 0) {
                    String rule = m.substring(at + o.key().length() + " must be ".length());
                    int got = rule.lastIndexOf(", got ");
                    rules.add((got >= 0 ? rule.substring(0, got) : rule).replaceFirst("^in ", ""));
                }
            }
        }
        return String.join("; ", rules);
    }

    private static Class<?> valueClass(ConfigOption<?> o) {
        try {
            var m = ConfigOption.class.getDeclaredMethod("getClazz");
            m.setAccessible(true);
            return (Class<?>) m.invoke(o);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Flink's ConfigOption changed: " + e, e);
        }
    }

    private static String typeName(ConfigOption<?> o) {
        String name;
        try {
            Class<?> clazz = valueClass(o);
            var list = ConfigOption.class.getDeclaredMethod("isList");
            list.setAccessible(true);
            name = clazz.isEnum() ? "enum" : clazz.getSimpleName();
            if ((Boolean) list.invoke(o)) {
                name = "list of " + name;
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Flink's ConfigOption changed: " + e, e);
        }
        return name;
    }

    private static String render(Object value) {
        if (value instanceof Duration d) {
            return TimeUtils.formatWithHighestUnit(d);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(ReferenceDocs::render).collect(Collectors.joining(";"));
        }
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        return String.valueOf(value);
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
