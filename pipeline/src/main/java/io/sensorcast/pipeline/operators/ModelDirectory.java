package io.sensorcast.pipeline.operators;

import io.sensorcast.model.ForecastModel;
import io.sensorcast.model.artifact.InvalidModelException;
import io.sensorcast.model.artifact.ModelArtifact;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Models on a local file system laid out as the model store lays them out, {@code
 * <root>/<group>/<version>/}: the newest version of each group that loads is served. A version that
 * is corrupt or incompatible is refused (logged) and the next older one is tried.
 *
 * <p>Loaded lazily, once per group, and kept until {@link #close()}.
 */
public final class ModelDirectory implements Serializable, AutoCloseable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ModelDirectory.class);

    /** A loaded model and its version. */
    public record Served(ForecastModel model, long version) {}

    private final String root;
    private transient Map<String, Optional<Served>> loaded;

    public ModelDirectory(String root) {
        this.root = root;
    }

    /** The group's newest loadable model, or empty when it has none yet. */
    public Optional<Served> model(String group) {
        if (loaded == null) {
            loaded = new HashMap<>();
        }
        return loaded.computeIfAbsent(group, this::load);
    }

    private Optional<Served> load(String group) {
        Path dir = Paths.get(root, group);
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(dir)) {
            for (Path v :
                    versions.filter(p -> p.getFileName().toString().matches("\\d{1,18}"))
                            .sorted((a, b) -> Long.compare(version(b), version(a)))
                            .toList()) {
                try {
                    return Optional.of(new Served(ModelArtifact.load(v), version(v)));
                } catch (InvalidModelException e) {
                    LOG.warn("Refusing model {}: {}", v, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list models in " + dir, e);
        }
        return Optional.empty();
    }

    private static long version(Path p) {
        return Long.parseLong(p.getFileName().toString());
    }

    @Override
    public void close() {
        if (loaded != null) {
            loaded.values().forEach(s -> s.ifPresent(m -> m.model().close()));
            loaded.clear();
        }
    }
}
