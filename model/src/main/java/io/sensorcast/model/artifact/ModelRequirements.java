package io.sensorcast.model.artifact;

import io.sensorcast.model.dataset.SeasonalChannels;
import io.sensorcast.model.manifest.IncompatibleModelException;
import io.sensorcast.model.manifest.ModelManifest;
import java.util.List;

/**
 * What a caller needs of a model before it may serve it: the window it can supply (exactly, or at
 * most), the horizon it forecasts, the features in order and the targets. {@code null} or 0 means
 * "any". The one compatibility check of the project: loading, serving and replacing all use it.
 *
 * @param readingColumnsOnly whether {@code features} are compared on the readings' columns only,
 *     the model's seasonal channels ({@link SeasonalChannels}) left out: a job that derives the
 *     channels serves a model with or without them
 */
public record ModelRequirements(
        int window,
        int maxWindow,
        int horizon,
        List<String> features,
        List<String> targets,
        boolean readingColumnsOnly) {

    public static final ModelRequirements ANY = new ModelRequirements(0, 0, null, null);

    /** Exact requirements (0 or null: any). */
    public ModelRequirements(int window, int horizon, List<String> features, List<String> targets) {
        this(window, 0, horizon, features, targets, false);
    }

    /**
     * What a serving job needs of a model: a window no longer than the {@code maxWindow} readings
     * it keeps and, when it replaces {@code replacing} (null: nothing), the same targets and the
     * same readings' columns — seasonal channels may come or go, as retraining adds them to a
     * group's models or a configuration takes them away.
     */
    public static ModelRequirements servable(int maxWindow, ModelManifest replacing) {
        return new ModelRequirements(
                0,
                maxWindow,
                0,
                replacing == null ? null : SeasonalChannels.readingColumns(replacing.features()),
                replacing == null ? null : replacing.targets(),
                true);
    }

    /** Requirements that exactly {@code manifest}'s model meets: for a replacement model. */
    public static ModelRequirements sameAs(ModelManifest manifest) {
        return new ModelRequirements(
                manifest.window(), manifest.horizon(), manifest.features(), manifest.targets());
    }

    /** Throws naming the first field that differs. */
    public void check(ModelManifest manifest) throws IncompatibleModelException {
        if (window > 0 && manifest.window() != window) {
            throw new IncompatibleModelException("window", window, manifest.window());
        }
        if (maxWindow > 0 && manifest.window() > maxWindow) {
            throw new IncompatibleModelException(
                    "window (at most the readings kept per sensor)", maxWindow, manifest.window());
        }
        if (horizon > 0 && manifest.horizon() != horizon) {
            throw new IncompatibleModelException("horizon", horizon, manifest.horizon());
        }
        List<String> theirs =
                readingColumnsOnly
                        ? SeasonalChannels.readingColumns(manifest.features())
                        : manifest.features();
        if (features != null && !features.equals(theirs)) {
            throw new IncompatibleModelException(
                    readingColumnsOnly ? "features (the readings' columns)" : "features",
                    features,
                    theirs);
        }
        if (targets != null && !targets.equals(manifest.targets())) {
            throw new IncompatibleModelException("targets", targets, manifest.targets());
        }
    }
}
