package io.sensorcast.pipeline.operators;

import io.sensorcast.connectors.format.ForecastRecord;
import io.sensorcast.model.ForecastModel;
import io.sensorcast.model.artifact.ModelManifest;
import io.sensorcast.model.engine.DjlRuntime;
import io.sensorcast.model.engine.EngineSettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Forecasts a batch of windows with one forward pass per model group. A window whose group has no
 * model, or whose features the model cannot read, gets no forecast (counted by {@link #skipped()});
 * a model reads the newest {@code window} steps of a longer sequence.
 */
public final class ModelForecastFunction implements BatchFunction<SensorWindow, ForecastRecord> {

    private static final long serialVersionUID = 1L;

    private final ModelDirectory models;
    private final GroupMapping groups;
    private final int intraOpThreads;
    private transient long skipped;

    /**
     * @param intraOpThreads libtorch threads per call; 1 scales best with parallelism = cores
     */
    public ModelForecastFunction(ModelDirectory models, GroupMapping groups, int intraOpThreads) {
        this.models = models;
        this.groups = groups;
        this.intraOpThreads = intraOpThreads;
    }

    @Override
    public void open() {
        DjlRuntime.engine(EngineSettings.defaults().withIntraOpThreads(intraOpThreads));
    }

    /** Windows that got no forecast so far (no model for the group, or features it lacks). */
    public long skipped() {
        return skipped;
    }

    @Override
    public List<ForecastRecord> apply(List<SensorWindow> batch) {
        Map<String, List<SensorWindow>> byGroup = new LinkedHashMap<>();
        for (SensorWindow w : batch) {
            byGroup.computeIfAbsent(groups.groupOf(w.sensor), g -> new ArrayList<>()).add(w);
        }
        List<ForecastRecord> out = new ArrayList<>(batch.size());
        long now = System.currentTimeMillis();
        for (Map.Entry<String, List<SensorWindow>> e : byGroup.entrySet()) {
            Optional<ModelDirectory.Served> served = models.model(e.getKey());
            if (served.isEmpty()) {
                skipped += e.getValue().size();
                continue;
            }
            forecast(e.getKey(), served.get(), e.getValue(), now, out);
        }
        return out;
    }

    private void forecast(
            String group,
            ModelDirectory.Served served,
            List<SensorWindow> windows,
            long now,
            List<ForecastRecord> out) {
        ForecastModel model = served.model();
        ModelManifest m = model.manifest();
        int w = m.window();
        int f = m.features().size();
        List<SensorWindow> usable = new ArrayList<>(windows.size());
        List<int[]> columns = new ArrayList<>(windows.size());
        for (SensorWindow win : windows) {
            int[] cols = columnsOf(win, m);
            if (cols == null || win.steps() < w) {
                skipped++;
                continue;
            }
            usable.add(win);
            columns.add(cols);
        }
        if (usable.isEmpty()) {
            return;
        }
        float[] input = new float[usable.size() * w * f];
        for (int i = 0; i < usable.size(); i++) {
            SensorWindow win = usable.get(i);
            int[] cols = columns.get(i);
            int first = win.steps() - w;
            int width = win.names.length;
            for (int s = 0; s < w; s++) {
                for (int c = 0; c < f; c++) {
                    input[(i * w + s) * f + c] = (float) win.values[(first + s) * width + cols[c]];
                }
            }
        }
        float[] predicted = model.predict(input, usable.size());
        int h = m.horizon();
        int t = m.targets().size();
        for (int i = 0; i < usable.size(); i++) {
            SensorWindow win = usable.get(i);
            long step =
                    Math.max(1, (win.timestamp - win.timestamps[0]) / Math.max(1, win.steps() - 1));
            List<ForecastRecord.Step> steps = new ArrayList<>(h);
            for (int s = 0; s < h; s++) {
                Map<String, Double> values = new LinkedHashMap<>();
                for (int k = 0; k < t; k++) {
                    values.put(m.targets().get(k), (double) predicted[(i * h + s) * t + k]);
                }
                steps.add(
                        new ForecastRecord.Step(
                                Instant.ofEpochMilli(win.timestamp + (s + 1) * step).toString(),
                                values));
            }
            out.add(
                    new ForecastRecord(
                            win.sensor,
                            Instant.ofEpochMilli(win.timestamp).toString(),
                            steps,
                            group,
                            served.version(),
                            Math.max(0, now - win.ingestMillis)));
        }
    }

    /** For each model feature, its column in the window; null when the window lacks one. */
    private static int[] columnsOf(SensorWindow win, ModelManifest m) {
        int[] cols = new int[m.features().size()];
        for (int c = 0; c < cols.length; c++) {
            String feature = m.features().get(c);
            cols[c] = -1;
            for (int j = 0; j < win.names.length; j++) {
                if (win.names[j].equals(feature)
                        || (win.names.length == 1 && m.features().size() == 1)) {
                    cols[c] = j;
                }
            }
            if (cols[c] < 0) {
                return null;
            }
        }
        return cols;
    }

    @Override
    public void close() {
        models.close();
    }
}
