/** Time series tables, splits by time, standardisation and sliding windows for training. */
package io.sensorcast.model.dataset;
