/**
 * Time series tables, splits by time, standardisation and sliding windows for training, and the
 * seasonal input channels a model reads both in training and in service.
 */
package io.sensorcast.model.dataset;
