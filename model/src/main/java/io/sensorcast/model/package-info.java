/**
 * A trained forecaster ready to predict ({@link io.sensorcast.model.ForecastModel}); the
 * subpackages build, train, evaluate, save and load it.
 */
package io.sensorcast.model;
