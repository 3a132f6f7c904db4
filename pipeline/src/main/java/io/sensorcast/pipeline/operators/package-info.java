/**
 * The forecasting operators: per-sensor ordering and windows, micro-batching, model serving with
 * hot swap ({@link io.sensorcast.pipeline.operators.ModelRegistry}) and group mapping.
 */
package io.sensorcast.pipeline.operators;
