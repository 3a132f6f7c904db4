/** The Flink jobs and operators: ForecastJob and RetrainJob. Depends on model and connectors. */
package io.sensorcast.pipeline;
