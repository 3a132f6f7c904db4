/**
 * The Flink SQL face of sensorcast: {@link io.sensorcast.sql.SensorcastDetect}, a process table
 * function that runs ForecastJob's per-sensor sequence, model serving and scoring (pipeline's own
 * classes, not a copy) on the function's keyed state, and what it needs to plan and keep state.
 */
package io.sensorcast.sql;
