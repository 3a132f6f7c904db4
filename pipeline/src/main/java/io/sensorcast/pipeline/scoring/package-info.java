/**
 * Anomaly scoring: the online detector per sensor target, its settings, and its plain-Java drive by
 * baseline forecasters for the ablation.
 */
package io.sensorcast.pipeline.scoring;
