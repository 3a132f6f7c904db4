/**
 * The model store ({@code <root>/<group>/<version>/}, atomic and conditional publish) and
 * publishing a version with its announcement.
 */
package io.sensorcast.pipeline.store;
