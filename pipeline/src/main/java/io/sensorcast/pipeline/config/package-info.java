/**
 * What every option class ({@code sensorcast.*}) shares: range checks that fail with the key and
 * the allowed range, and the options both jobs read ({@link
 * io.sensorcast.pipeline.config.SharedOptions}), so that neither job's package imports the other.
 * Depends on no other package of the pipeline.
 */
package io.sensorcast.pipeline.config;
