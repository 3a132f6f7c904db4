/**
 * Prediction intervals calibrated online from a series' own forecast errors: {@link
 * OnlineIntervals} per series, {@link IntervalLevels} for the coverage levels, {@link
 * IntervalScore} to judge them.
 */
package io.sensorcast.model.interval;
