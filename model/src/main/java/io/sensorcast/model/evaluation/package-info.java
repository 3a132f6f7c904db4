/** Forecasters (the network and the baselines) and their metrics, compared on the same windows. */
package io.sensorcast.model.evaluation;
