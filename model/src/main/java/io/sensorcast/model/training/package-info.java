/**
 * Training a network from a table: the training loop, early stopping and the training run that
 * produces a model with its manifest (its options and history are manifest types).
 */
package io.sensorcast.model.training;
