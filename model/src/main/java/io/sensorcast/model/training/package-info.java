/**
 * Training a network from a table: options, the training loop, early stopping and the training run
 * that produces a model with its manifest.
 */
package io.sensorcast.model.training;
