package io.sensorcast.model.artifact;

import java.util.List;

/**
 * What a caller needs of a model before it may serve it: the window it can supply, the horizon it
 * forecasts, the features in order and the targets. {@code null} or 0 means "any".
 */
public record ModelRequirements(
        int window, int horizon, List<String> features, List<String> targets) {

    public static final ModelRequirements ANY = new ModelRequirements(0, 0, null, null);

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
