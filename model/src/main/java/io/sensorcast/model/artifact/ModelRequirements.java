package io.sensorcast.model.artifact;

import java.util.List;

/**
 * What a caller needs of a model before it may serve it: the window it can supply (exactly, or at
 * most), the horizon it forecasts, the features in order and the targets. {@code null} or 0 means
 * "any". The one compatibility check of the project: loading, serving and replacing all use it.
 */
public record ModelRequirements(
        int window, int maxWindow, int horizon, List<String> features, List<String> targets) {

    public static final ModelRequirements ANY = new ModelRequirements(0, 0, null, null);

    /** Exact requirements (0 or null: any). */
    public ModelRequirements(int window, int horizon, List<String> features, List<String> targets) {
        this(window, 0, horizon, features, targets);
    }

    /**
     * What a serving job needs of a model: a window no longer than the {@code maxWindow} readings
     * it keeps and, when it replaces {@code replacing} (null: nothing), the same features and
     * targets.
     */
    public static ModelRequirements servable(int maxWindow, ModelManifest replacing) {
        return new ModelRequirements(
                0,
                maxWindow,
                0,
                replacing == null ? null : replacing.features(),
                replacing == null ? null : replacing.targets());
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
        if (features != null && !features.equals(manifest.features())) {
            throw new IncompatibleModelException("features", features, manifest.features());
        }
        if (targets != null && !targets.equals(manifest.targets())) {
            throw new IncompatibleModelException("targets", targets, manifest.targets());
        }
    }
}
