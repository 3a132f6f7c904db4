package io.sensorcast.pipeline.operators;

import io.sensorcast.model.ForecastModel;
import io.sensorcast.model.artifact.InvalidModelException;
import io.sensorcast.model.artifact.ModelArtifact;
import io.sensorcast.pipeline.store.ModelStore;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The models loaded in this JVM (one TaskManager), shared by its forecasting subtasks: a version is
 * fetched, verified and loaded once, however many subtasks serve it, and closed when the last one
 * lets it go. A published version never changes, so its location identifies it. {@link
 * ForecastModel#predict} is safe for concurrent calls.
 */
final class SharedModels {

    private static final class Entry {
        final ForecastModel model;
        int users;

        Entry(ForecastModel model) {
            this.model = model;
        }
    }

    private static final Map<String, Entry> LOADED = new HashMap<>();

    private SharedModels() {}

    /** The model at {@code location}, loaded now unless another subtask holds it already. */
    static ForecastModel acquire(String location) throws IOException, InvalidModelException {
        synchronized (LOADED) {
            Entry e = LOADED.get(location);
            if (e == null) {
                e = new Entry(ModelArtifact.load(ModelStore.localCopy(location)));
                LOADED.put(location, e);
            }
            e.users++;
            return e.model;
        }
    }

    /** Lets go of a model from {@link #acquire}; the last user's release closes it. */
    static void release(String location) {
        synchronized (LOADED) {
            Entry e = LOADED.get(location);
            if (e != null && --e.users == 0) {
                LOADED.remove(location);
                e.model.close();
            }
        }
    }

    /** How many distinct models are loaded (tests). */
    static int loaded() {
        synchronized (LOADED) {
            return LOADED.size();
        }
    }
}
