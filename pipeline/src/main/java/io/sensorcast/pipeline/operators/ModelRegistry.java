package io.sensorcast.pipeline.operators;

import io.sensorcast.connectors.format.ModelUpdate;
import io.sensorcast.model.ForecastModel;
import io.sensorcast.model.artifact.ModelArtifact;
import io.sensorcast.model.artifact.ModelRequirements;
import io.sensorcast.model.manifest.IncompatibleModelException;
import io.sensorcast.model.manifest.InvalidModelException;
import io.sensorcast.model.manifest.ModelManifest;
import io.sensorcast.model.serving.ServingEngine;
import io.sensorcast.pipeline.store.ModelStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
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
 * <p><b>A store that is down is not a bad model.</b> A version that cannot be fetched because the
 * store cannot be reached is retried with exponential backoff, from {@link Settings#retryInitial}
 * up to {@link Settings#retryMaxBackoff}, for {@link Settings#retryFor}, and only then rejected;
 * the old model serves meanwhile. A group whose first lookup fails that way is looked up again on
 * the same backoff.
 *
 * <p><b>Restores are lazy.</b> {@link #restore} only notes the checkpointed versions; a group's is
 * loaded when the group is first needed, so a restored subtask does not load every group's model
 * (union state hands each subtask all of them) in {@code open()}.
 *
 * <p><b>Bounded.</b> A group not needed for {@link Settings#idleRelease} is forgotten and its model
 * released: a stream of ever new sensors (one group each by default) costs nothing once they go
 * quiet; a group that comes back starts again from the store's newest version.
 *
 * <p>Used from the operator's thread only, apart from its loader thread. Close it to free every
 * model it holds.
 */
public final class ModelRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);

    /**
     * How the registry retries and forgets.
     *
     * @param retryInitial first wait before a version that could not be reached is tried again
     * @param retryMaxBackoff the longest wait between tries (the wait doubles up to it)
     * @param retryFor how long such a version is retried before it is rejected
     * @param idleRelease how long a group may go unused before it is forgotten
     * @param limits the largest model accepted
     * @param engine the engine that serves the models
     */
    public record Settings(
            Duration retryInitial,
            Duration retryMaxBackoff,
            Duration retryFor,
            Duration idleRelease,
            ModelArtifact.Limits limits,
            ServingEngine engine)
            implements java.io.Serializable {

        public static Settings defaults() {
            return new Settings(
                    Duration.ofSeconds(1),
                    Duration.ofMinutes(5),
                    Duration.ofHours(1),
                    Duration.ofHours(1),
                    ModelArtifact.Limits.DEFAULT,
                    ServingEngine.DEFAULT);
        }
    }

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

        /** A version could not be reached and will be tried again after {@code delay}. */
        default void retrying(ModelUpdate update, String reason, Duration delay) {}
    }

    /** The result of a load: a model, or why not and whether trying again may help. */
    private record Loaded(
            ModelUpdate update,
            ForecastModel model,
            String error,
            boolean unreachable,
            Retry retry) {}

    /** A version to try again: how often it failed, since when, and when to try next. */
    private record Retry(ModelUpdate update, int failures, long since, long next) {}

    /** Thrown out of a bootstrap whose versions cannot be reached now. */
    private static final class Unreachable extends Exception {
        Unreachable(String message) {
            super(message, null, false, false);
        }
    }

    private final ModelStore store;
    private final int maxWindow;
    private final Listener listener;
    private final Settings settings;
    private final LongSupplier clock;
    private final Map<String, Served> served = new HashMap<>();
    private final Map<String, Optional<Served>> bootstrapped = new HashMap<>();
    private final Map<String, ModelUpdate> requested = new HashMap<>();
    private final Map<String, Retry> retries = new HashMap<>();
    private final Map<String, ModelUpdate> fallbacks = new HashMap<>();
    private final Map<String, Retry> lookupRetries = new HashMap<>();
    private final Map<String, List<ModelUpdate>> restored = new HashMap<>();
    private final Map<String, Long> lastUsed = new HashMap<>();
    private final Queue<Loaded> loaded = new ConcurrentLinkedQueue<>();
    private final ExecutorService loader;
    private long nextSweep;

    /**
     * @param maxWindow the readings the job keeps per sensor: a model needing more is refused
     */
    public ModelRegistry(ModelStore store, int maxWindow, Listener listener) {
        this(store, maxWindow, listener, Settings.defaults(), System::currentTimeMillis);
    }

    /**
     * @param clock milliseconds, for backoff and idleness
     */
    public ModelRegistry(
            ModelStore store,
            int maxWindow,
            Listener listener,
            Settings settings,
            LongSupplier clock) {
        this.store = store;
        this.maxWindow = maxWindow;
        this.listener = listener;
        this.settings = settings;
        this.clock = clock;
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
        long now = clock.getAsLong();
        lastUsed.put(group, now);
        Served s = served.get(group);
        if (s != null) {
            return Optional.of(s);
        }
        Optional<Served> boot = bootstrapped.get(group);
        if (boot != null) {
            return boot;
        }
        Retry waiting = lookupRetries.get(group);
        if (waiting != null && now < waiting.next()) {
            return Optional.empty();
        }
        try {
            boot = bootstrap(group);
        } catch (Unreachable e) {
            Retry r = backoff(waiting, null, now);
            lookupRetries.put(group, r);
            LOG.warn(
                    "Cannot reach the models of group {} (try {} in {} ms): {}",
                    group,
                    r.failures() + 1,
                    r.next() - now,
                    e.getMessage());
            return Optional.empty();
        }
        lookupRetries.remove(group);
        restored.remove(group);
        bootstrapped.put(group, boot);
        return boot;
    }

    /** What is served or on its way, per group: the registry's state for a checkpoint. */
    public Collection<ModelUpdate> sources() {
        Map<String, ModelUpdate> all = new HashMap<>();
        served.forEach((g, s) -> all.put(g, s.source()));
        restored.forEach((g, us) -> newest(all, us.get(0)));
        requested.values().forEach(u -> newest(all, u));
        retries.values().forEach(r -> newest(all, r.update()));
        List<ModelUpdate> out = new ArrayList<>(all.values());
        fallbacks.forEach(
                (g, u) -> {
                    if (all.get(g) != u) {
                        out.add(u); // restored after the newer one, should that fail to load
                    }
                });
        return out;
    }

    private static void newest(Map<String, ModelUpdate> all, ModelUpdate u) {
        all.merge(u.group(), u, (a, b) -> a.version() >= b.version() ? a : b);
    }

    /**
     * Restores from checkpointed {@link #sources()} (possibly several copies each): each group
     * serves the newest of its versions that loads, loaded when the group is first needed.
     */
    public void restore(Iterable<ModelUpdate> sources) {
        long now = clock.getAsLong();
        for (ModelUpdate u : sources) {
            List<ModelUpdate> versions =
                    restored.computeIfAbsent(u.group(), g -> new ArrayList<>());
            if (versions.stream().noneMatch(v -> v.version() == u.version())) {
                versions.add(u);
            }
            lastUsed.putIfAbsent(u.group(), now);
        }
        restored.values().forEach(us -> us.sort((a, b) -> Long.compare(b.version(), a.version())));
    }

    /**
     * Loads and installs the first of {@code newestFirst} that loads, reporting the ones before it
     * as rejected; null when none loads.
     *
     * @throws Unreachable when a version cannot be reached: the lookup is tried again later
     */
    private Served newestThatLoads(List<ModelUpdate> newestFirst) throws Unreachable {
        for (ModelUpdate u : newestFirst) {
            Loaded l = load(u, null, null);
            if (l.model() != null) {
                install(l);
                return served.get(u.group());
            }
            if (l.unreachable()) {
                throw new Unreachable(u.location() + ": " + l.error());
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
        String group = update.group();
        boolean known =
                served.containsKey(group)
                        || bootstrapped.containsKey(group)
                        || restored.containsKey(group);
        if (!known) {
            LOG.debug(
                    "Model {} version {} is for a group not served here", group, update.version());
            return;
        }
        String expected = store.location(group, update.version());
        if (!sameLocation(update.location(), expected)) {
            String reason =
                    "location "
                            + update.location()
                            + " is not the store's "
                            + expected
                            + " for group "
                            + group
                            + " version "
                            + update.version();
            LOG.warn("Rejected model update: {}", reason);
            listener.rejected(update, reason);
            return;
        }
        long current = Math.max(version(served.get(group)), version(group));
        List<ModelUpdate> notLoaded = restored.get(group);
        if (notLoaded != null) {
            current = Math.max(current, notLoaded.get(0).version());
        }
        if (update.version() <= current) {
            if (update.version() > version(served.get(group)) && notLoaded == null) {
                // newer than what serves, older than what loads: kept in case that load fails,
                // so a bogus high version in flight cannot make a real one be dropped
                fallbacks.merge(group, update, (a, b) -> a.version() >= b.version() ? a : b);
                return;
            }
            LOG.info(
                    "Ignoring model {} version {}: version {} is already served or on its way",
                    group,
                    update.version(),
                    current);
            return;
        }
        if (notLoaded != null) {
            notLoaded.add(0, update); // loaded with the rest when the group is first needed
            return;
        }
        retries.remove(group);
        startLoad(update, null);
    }

    private void startLoad(ModelUpdate update, Retry retry) {
        requested.put(update.group(), update);
        Served now = served.get(update.group());
        ModelManifest replacing = now == null ? null : now.model().manifest();
        loader.execute(() -> loaded.add(load(update, replacing, retry)));
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

    /**
     * Swaps in the models loaded since the last call and closes those they replace; starts the
     * retries that are due; forgets groups idle for longer than {@link Settings#idleRelease}.
     */
    public void applyLoaded() {
        long now = clock.getAsLong();
        Loaded l;
        while ((l = loaded.poll()) != null) {
            String group = l.update().group();
            boolean current = requested.get(group) == l.update();
            if (current) {
                requested.remove(group);
            }
            if (l.model() == null) {
                failed(l, current, now);
            } else if (l.update().version() <= version(served.get(group))) {
                releaseShared(l.update().location());
            } else {
                install(l);
            }
        }
        for (Iterator<Retry> it = retries.values().iterator(); it.hasNext(); ) {
            Retry r = it.next();
            if (now >= r.next()) {
                it.remove();
                startLoad(r.update(), r);
            }
        }
        if (now >= nextSweep) {
            forgetIdleGroups(now);
            nextSweep = now + Math.max(1, settings.idleRelease().toMillis() / 10);
        }
    }

    private void failed(Loaded l, boolean current, long now) {
        String group = l.update().group();
        long since = l.retry() == null ? now : l.retry().since();
        if (current && l.unreachable() && now - since < settings.retryFor().toMillis()) {
            Retry r = backoff(l.retry(), l.update(), now);
            retries.put(group, r);
            Duration delay = Duration.ofMillis(r.next() - now);
            LOG.warn(
                    "Cannot reach model {} version {} (try {} in {}): {}; version {} keeps"
                            + " serving",
                    group,
                    l.update().version(),
                    r.failures() + 1,
                    delay,
                    l.error(),
                    version(served.get(group)));
            listener.retrying(l.update(), l.error(), delay);
            return;
        }
        LOG.warn(
                "Rejected model {} version {} ({}): {}; version {} keeps serving",
                group,
                l.update().version(),
                l.update().location(),
                l.unreachable()
                        ? "unreachable for " + Duration.ofMillis(now - since) + ": " + l.error()
                        : l.error(),
                version(served.get(group)));
        listener.rejected(l.update(), l.error());
        ModelUpdate next = fallbacks.remove(group);
        if (current && next != null && next.version() > version(served.get(group))) {
            startLoad(next, null);
        }
    }

    /** The next try after one more failure: the wait doubles from the initial up to the cap. */
    private Retry backoff(Retry previous, ModelUpdate update, long now) {
        int failures = previous == null ? 1 : previous.failures() + 1;
        long wait = settings.retryInitial().toMillis() << Math.min(failures - 1, 30);
        wait = Math.min(Math.max(wait, 1), settings.retryMaxBackoff().toMillis());
        return new Retry(update, failures, previous == null ? now : previous.since(), now + wait);
    }

    private void forgetIdleGroups(long now) {
        long idle = settings.idleRelease().toMillis();
        for (Iterator<Map.Entry<String, Long>> it = lastUsed.entrySet().iterator();
                it.hasNext(); ) {
            Map.Entry<String, Long> e = it.next();
            String group = e.getKey();
            if (now - e.getValue() <= idle
                    || requested.containsKey(group)
                    || retries.containsKey(group)) {
                continue;
            }
            it.remove();
            Served s = served.remove(group);
            Optional<Served> boot = bootstrapped.remove(group);
            if (s != null) {
                releaseShared(s.source().location());
            } else if (boot != null) {
                boot.ifPresent(b -> releaseShared(b.source().location()));
            }
            restored.remove(group);
            lookupRetries.remove(group);
            fallbacks.remove(group);
            LOG.info(
                    "Group {} unused for {}: its model is released", group, settings.idleRelease());
        }
    }

    /** Groups this registry holds anything for (tests: it must stay bounded). */
    int groupsHeld() {
        java.util.Set<String> all = new java.util.HashSet<>(served.keySet());
        all.addAll(bootstrapped.keySet());
        all.addAll(restored.keySet());
        all.addAll(requested.keySet());
        all.addAll(retries.keySet());
        all.addAll(lookupRetries.keySet());
        all.addAll(fallbacks.keySet());
        all.addAll(lastUsed.keySet());
        return all.size();
    }

    /** Waits for the background loads asked for so far (tests, shutdown). */
    public void awaitLoads(long timeoutMillis) throws InterruptedException {
        var done = new java.util.concurrent.CountDownLatch(1);
        loader.execute(done::countDown);
        done.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    private void install(Loaded l) {
        String group = l.update().group();
        ModelUpdate fallback = fallbacks.get(group);
        if (fallback != null && fallback.version() <= l.update().version()) {
            fallbacks.remove(group);
        }
        Served old = served.put(group, new Served(l.model(), l.update()));
        Optional<Served> boot = bootstrapped.remove(group);
        if (old != null) {
            releaseShared(old.source().location());
        } else if (boot != null) {
            boot.ifPresent(b -> releaseShared(b.source().location()));
        }
        LOG.info("Serving model {} version {} from {}", group, l.update().version(), l.update());
        listener.served(group, l.update().version());
    }

    /**
     * The group's model at first use: the newest restored version that loads, else the newest
     * loadable one in the store; empty when there is none.
     *
     * @throws Unreachable when the store cannot be read or a version cannot be reached now
     */
    private Optional<Served> bootstrap(String group) throws Unreachable {
        if (!ModelUpdate.GROUP.matcher(group).matches()) {
            LOG.warn(
                    "Model group '{}' is not a valid store name ({}); its sensors get no forecasts"
                            + " (map them to a group with sensorcast.models.groups)",
                    group,
                    ModelUpdate.GROUP.pattern());
            return Optional.empty();
        }
        List<ModelUpdate> fromCheckpoint = restored.get(group);
        if (fromCheckpoint != null) {
            Served s = newestThatLoads(fromCheckpoint);
            if (s != null) {
                return Optional.of(s);
            }
        }
        ModelStore.Listing listing;
        try {
            listing = store.list(group);
        } catch (IOException | UncheckedIOException e) {
            throw new Unreachable("cannot list the store: " + e);
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

    /**
     * Runs on the loader thread: touches nothing of the registry's maps. A failure is {@code
     * unreachable} — worth retrying — when the store itself cannot be reached (its root not there,
     * or it cannot say); a version missing from a store that is there is not the store's own and is
     * refused, like a bad artifact.
     */
    private Loaded load(ModelUpdate u, ModelManifest replacing, Retry retry) {
        ForecastModel model = null;
        try {
            model = SharedModels.acquire(u.location(), settings.limits(), settings.engine());
            ModelRequirements.servable(maxWindow, replacing).check(model.manifest());
            return new Loaded(u, model, null, false, retry);
        } catch (InvalidModelException | IOException | RuntimeException e) {
            if (model != null) {
                releaseShared(u.location());
            }
            if (e instanceof IncompatibleModelException
                    || e instanceof ModelStore.ArtifactTooLargeException
                    || there(u.location())) {
                return new Loaded(u, null, e.getMessage(), false, retry);
            }
            if (there(store.root())) {
                String error = "version " + u.version() + " is not in the store " + store.root();
                return new Loaded(u, null, error, false, retry);
            }
            return new Loaded(u, null, e.getMessage(), true, retry);
        }
    }

    private static boolean there(String location) {
        try {
            return ModelStore.exists(location);
        } catch (IOException | RuntimeException e) {
            return false;
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
                releaseShared(l.update().location());
            }
        }
        served.values().forEach(s -> releaseShared(s.source().location()));
        served.clear();
        bootstrapped.clear();
    }

    private void releaseShared(String location) {
        SharedModels.release(location, settings.engine());
    }
}
