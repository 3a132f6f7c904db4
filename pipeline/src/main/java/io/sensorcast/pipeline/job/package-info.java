/**
 * The Flink jobs, ForecastJob and RetrainJob, their typed options and their wiring between Kafka
 * topics.
 */
package io.sensorcast.pipeline.job;
