/**
 * One retraining round per model group: history, candidate, judgement against the model in service
 * and the baselines, promotion and its report.
 */
package io.sensorcast.pipeline.retrain;
