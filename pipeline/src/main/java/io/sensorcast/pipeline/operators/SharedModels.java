package io.sensorcast.pipeline.operators;

import io.sensorcast.model.ForecastModel;
import io.sensorcast.model.artifact.ModelArtifact;
import io.sensorcast.model.artifact.ModelRequirements;
import io.sensorcast.model.manifest.InvalidModelException;
import io.sensorcast.model.serving.ServingEngine;
import io.sensorcast.pipeline.store.ModelStore;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The models loaded in this JVM (one TaskManager), shared by its forecasting subtasks: a version is
 * fetched, verified and loaded once, however many subtasks serve it, and closed when the last one
 * lets it go. A published version never changes, so its location identifies it. {@link
 * ForecastModel#predict} is safe for concurrent calls.
 *
 * <p>Loads are coalesced, not serialised: the JVM-wide lock only guards the table, so while one
 * version is fetched and loaded, other versions load and other subtasks carry on; subtasks asking
 * for a version already loading wait for that one load. A load that fails leaves nothing behind, so
 * the next request tries again. A version served by two engines is two models.
 */
final class SharedModels {

    private static final class Entry {
        final CompletableFuture<ForecastModel> model = new CompletableFuture<>();
        int users;
    }

    private static final Map<String, Entry> LOADED = new HashMap<>();

    private SharedModels() {}

    /**
     * The model at {@code location} served by {@code engine}, loaded now unless another subtask
     * holds or loads it.
     */
    static ForecastModel acquire(String location, ModelArtifact.Limits limits, ServingEngine engine)
            throws IOException, InvalidModelException {
        String key = key(location, engine);
        Entry e;
        boolean loadHere;
        synchronized (LOADED) {
            e = LOADED.get(key);
            loadHere = e == null;
            if (loadHere) {
                e = new Entry();
                LOADED.put(key, e);
            }
            e.users++;
        }
        if (loadHere) {
            try {
                e.model.complete(ModelStore.load(location, ModelRequirements.ANY, limits, engine));
            } catch (IOException | InvalidModelException | RuntimeException | Error t) {
                e.model.completeExceptionally(t);
            }
        }
        try {
            return e.model.join();
        } catch (CompletionException failed) {
            synchronized (LOADED) {
                e.users--;
                LOADED.remove(key, e);
            }
            Throwable cause = failed.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof InvalidModelException invalid) {
                throw invalid;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) cause;
        }
    }

    /** Lets go of a model from {@link #acquire}; the last user's release closes it. */
    static void release(String location, ServingEngine engine) {
        String key = key(location, engine);
        ForecastModel closing = null;
        synchronized (LOADED) {
            Entry e = LOADED.get(key);
            if (e != null && --e.users == 0) {
                LOADED.remove(key);
                closing = e.model.getNow(null);
            }
        }
        if (closing != null) {
            closing.close();
        }
    }

    private static String key(String location, ServingEngine engine) {
        return engine + " " + location;
    }

    /** How many distinct models are loaded or loading (tests). */
    static int loaded() {
        synchronized (LOADED) {
            return LOADED.size();
        }
    }
}
