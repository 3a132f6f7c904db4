package io.sensorcast.pipeline.operators;

import io.sensorcast.connectors.format.ModelUpdate;
import io.sensorcast.model.ForecastModel;
import io.sensorcast.model.artifact.IncompatibleModelException;
import io.sensorcast.model.artifact.InvalidModelException;
import io.sensorcast.model.artifact.ModelManifest;
import io.sensorcast.pipeline.store.ModelStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models one forecasting subtask serves, one per group, and their replacement while it runs.
 * The models themselves are {@link SharedModels}: loaded once per TaskManager.
 *
 * <p>A group's first model comes from the store the first time the group is needed (its newest
 * version that verifies; older ones are tried when it does not). After that, versions arrive as
 * {@link ModelUpdate}s: each is fetched, verified and loaded on a background thread, off the
 * forecasting path, and swapped in by {@link #applyLoaded()} between batches, so a batch always
 * runs on one model; the replaced model is closed then. A version not newer than the one served or
 * requested is ignored (versions only move forward); one that fails to load or does not fit (window
 * longer than the job keeps, other features or targets than the model it would replace) is
 * rejected, logged and counted, and the old model keeps serving.
 *
 * <p>Used from the operator's thread only, apart from its loader thread. Close it to free every
 * model it holds.
 */
public final class ModelRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);

    /** A model in service and where it came from. */
    public record Served(ForecastModel model, ModelUpdate source) {
        public long version() {
            return source.version();
        }
    }

    /** Listens to the registry's decisions (for metrics). */
    public interface Listener {
        void served(String group, long version);

        void rejected(ModelUpdate update, String reason);
    }

    private record Loaded(ModelUpdate update, ForecastModel model, String error) {}

    private final ModelStore store;
    private final int maxWindow;
    private final Listener listener;
    private final Map<String, Served> served = new HashMap<>();
    private final Map<String, Optional<Served>> bootstrapped = new HashMap<>();
    private final Map<String, ModelUpdate> requested = new HashMap<>();
    private final Queue<Loaded> loaded = new ConcurrentLinkedQueue<>();
    private final ExecutorService loader;

    /**
     * @param maxWindow the readings the job keeps per sensor: a model needing more is refused
     */
    public ModelRegistry(ModelStore store, int maxWindow, Listener listener) {
        this.store = store;
        this.maxWindow = maxWindow;
        this.listener = listener;
        this.loader =
                Executors.newSingleThreadExecutor(
                        r -> {
                            Thread t = new Thread(r, "sensorcast-model-loader");
                            t.setDaemon(true);
                            return t;
                        });
    }

    /** The group's model, or empty when it has none yet. */
    public Optional<Served> model(String group) {
        Served s = served.get(group);
        if (s != null) {
            return Optional.of(s);
        }
        Optional<Served> boot = bootstrapped.get(group);
        if (boot == null) {
            boot = bootstrap(group);
            if (boot != null) {
                bootstrapped.put(group, boot);
            }
        }
        return boot == null ? Optional.empty() : boot;
    }

    /** What is served or on its way, per group: the registry's state for a checkpoint. */
    public Collection<ModelUpdate> sources() {
        Map<String, ModelUpdate> all = new HashMap<>();
        served.forEach((g, s) -> all.put(g, s.source()));
        requested.forEach((g, u) -> all.merge(g, u, (a, b) -> a.version() >= b.version() ? a : b));
        return all.values();
    }

    /**
     * Restores from checkpointed {@link #sources()} (possibly several copies each): loads the
     * newest of each group now, falling back to older ones.
     */
    public void restore(Iterable<ModelUpdate> sources) {
        Map<String, List<ModelUpdate>> byGroup = new HashMap<>();
        for (ModelUpdate u : sources) {
            byGroup.computeIfAbsent(u.group(), g -> new ArrayList<>()).add(u);
        }
        byGroup.forEach(
                (group, updates) -> {
                    updates.sort((a, b) -> Long.compare(b.version(), a.version()));
                    newestThatLoads(updates);
                });
    }

    /**
     * Loads and installs the first of {@code newestFirst} that loads, reporting the ones before it
     * as rejected; null when none loads.
     */
    private Served newestThatLoads(List<ModelUpdate> newestFirst) {
        for (ModelUpdate u : newestFirst) {
            Loaded l = load(u, null);
            if (l.model() != null) {
                install(l);
                return served.get(u.group());
            }
            listener.rejected(u, l.error());
        }
        return null;
    }

    /**
     * Asks for {@code update} to be served; it loads in the background. Updates for groups this
     * subtask has not needed yet are left alone: the group's first use loads the newest version in
     * the store anyway.
     */
    public void request(ModelUpdate update) {
        if (!served.containsKey(update.group()) && !bootstrapped.containsKey(update.group())) {
            LOG.debug(
                    "Model {} version {} is for a group not served here",
                    update.group(),
                    update.version());
            return;
        }
        String expected = store.location(update.group(), update.version());
        if (!sameLocation(update.location(), expected)) {
            String reason =
                    "location "
                            + update.location()
                            + " is not the store's "
                            + expected
                            + " for group "
                            + update.group()
                            + " version "
                            + update.version();
            LOG.warn("Rejected model update: {}", reason);
            listener.rejected(update, reason);
            return;
        }
        long current = Math.max(version(served.get(update.group())), version(update.group()));
        if (update.version() <= current) {
            LOG.info(
                    "Ignoring model {} version {}: version {} is already served or on its way",
                    update.group(),
                    update.version(),
                    current);
            return;
        }
        requested.put(update.group(), update);
        Served now = served.get(update.group());
        ModelManifest replacing = now == null ? null : now.model().manifest();
        loader.execute(() -> loaded.add(load(update, replacing)));
    }

    /**
     * Whether two model locations name the same directory, after normalising {@code .} and {@code
     * ..}: an update may only point into the configured store, at its own group and version, or
     * anyone who can write to the topic could choose the model that serves (a directory elsewhere,
     * another bucket, another group's model).
     */
    static boolean sameLocation(String announced, String expected) {
        if (announced == null) {
            return false;
        }
        return normalise(announced).equals(normalise(expected));
    }

    private static java.net.URI normalise(String location) {
        java.net.URI uri = new org.apache.flink.core.fs.Path(location).toUri().normalize();
        String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
        try {
            return new java.net.URI(
                    uri.getScheme() == null ? "file" : uri.getScheme(),
                    uri.getAuthority(),
                    path,
                    null,
                    null);
        } catch (java.net.URISyntaxException e) {
            return uri;
        }
    }

    /** Swaps in the models loaded since the last call and closes those they replace. */
    public void applyLoaded() {
        Loaded l;
        while ((l = loaded.poll()) != null) {
            String group = l.update().group();
            if (requested.get(group) == l.update()) {
                requested.remove(group);
            }
            if (l.model() == null) {
                LOG.warn(
                        "Rejected model {} version {} ({}): {}; version {} keeps serving",
                        group,
                        l.update().version(),
                        l.update().location(),
                        l.error(),
                        version(served.get(group)));
                listener.rejected(l.update(), l.error());
            } else if (l.update().version() <= version(served.get(group))) {
                SharedModels.release(l.update().location());
            } else {
                install(l);
            }
        }
    }

    /** Waits for the background loads asked for so far (tests, shutdown). */
    public void awaitLoads(long timeoutMillis) throws InterruptedException {
        var done = new java.util.concurrent.CountDownLatch(1);
        loader.execute(done::countDown);
        done.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    private void install(Loaded l) {
        String group = l.update().group();
        Served old = served.put(group, new Served(l.model(), l.update()));
        Optional<Served> boot = bootstrapped.remove(group);
        if (old != null) {
            SharedModels.release(old.source().location());
        } else if (boot != null) {
            boot.ifPresent(b -> SharedModels.release(b.source().location()));
        }
        LOG.info("Serving model {} version {} from {}", group, l.update().version(), l.update());
        listener.served(group, l.update().version());
    }

    /** The group's newest loadable model in the store; null when the store cannot be read. */
    private Optional<Served> bootstrap(String group) {
        if (!ModelUpdate.GROUP.matcher(group).matches()) {
            LOG.warn(
                    "Model group '{}' is not a valid store name ({}); its sensors get no forecasts"
                            + " (map them to a group with sensorcast.models.groups)",
                    group,
                    ModelUpdate.GROUP.pattern());
            return Optional.empty();
        }
        ModelStore.Listing listing;
        try {
            listing = store.list(group);
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("Cannot list models of group {} (will retry): {}", group, e.toString());
            return null;
        }
        listing.corrupt()
                .forEach(
                        (v, reason) ->
                                listener.rejected(
                                        new ModelUpdate(
                                                group, v, store.location(group, v), null, "store"),
                                        reason));
        List<ModelUpdate> newestFirst = new ArrayList<>();
        for (int i = listing.valid().size() - 1; i >= 0; i--) {
            ModelStore.Version v = listing.valid().get(i);
            newestFirst.add(new ModelUpdate(group, v.version(), v.location(), null, "store"));
        }
        return Optional.ofNullable(newestThatLoads(newestFirst));
    }

    /** Runs on the loader thread: touches nothing of the registry's maps. */
    private Loaded load(ModelUpdate u, ModelManifest replacing) {
        ForecastModel model = null;
        try {
            model = SharedModels.acquire(u.location());
            check(replacing, model.manifest());
            return new Loaded(u, model, null);
        } catch (InvalidModelException | IOException | RuntimeException e) {
            if (model != null) {
                SharedModels.release(u.location());
            }
            return new Loaded(u, null, e.getMessage());
        }
    }

    private void check(ModelManifest c, ModelManifest m) throws IncompatibleModelException {
        if (m.window() > maxWindow) {
            throw new IncompatibleModelException(
                    "window (at most the job's sensorcast.forecast.window)", maxWindow, m.window());
        }
        if (c != null) {
            if (!c.features().equals(m.features())) {
                throw new IncompatibleModelException("features", c.features(), m.features());
            }
            if (!c.targets().equals(m.targets())) {
                throw new IncompatibleModelException("targets", c.targets(), m.targets());
            }
        }
    }

    private long version(String group) {
        ModelUpdate u = requested.get(group);
        return u == null ? 0 : u.version();
    }

    private static long version(Served s) {
        return s == null ? 0 : s.version();
    }

    @Override
    public void close() {
        loader.shutdownNow();
        try {
            loader.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Loaded l;
        while ((l = loaded.poll()) != null) {
            if (l.model() != null) {
                SharedModels.release(l.update().location());
            }
        }
        served.values().forEach(s -> SharedModels.release(s.source().location()));
        served.clear();
        bootstrapped.clear();
    }
}
