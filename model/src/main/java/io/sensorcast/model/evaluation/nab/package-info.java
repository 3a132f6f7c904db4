/** The Numenta Anomaly Benchmark: label windows, results files, profiles and NAB's scorer. */
package io.sensorcast.model.evaluation.nab;
