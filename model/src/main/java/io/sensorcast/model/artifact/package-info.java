/**
 * Model artifacts on disk: parameters, manifest and checksums; loading with verification, size
 * limits and the one compatibility check ({@link io.sensorcast.model.artifact.ModelRequirements}).
 * A loaded model serves on libtorch; {@link io.sensorcast.model.ForecastModel#servedOn} moves it to
 * another engine.
 */
package io.sensorcast.model.artifact;
