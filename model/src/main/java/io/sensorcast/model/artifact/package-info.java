/**
 * Model artifacts on disk: manifest, parameters and checksums; loading with verification, size
 * limits and the one compatibility check ({@link io.sensorcast.model.artifact.ModelRequirements}).
 */
package io.sensorcast.model.artifact;
