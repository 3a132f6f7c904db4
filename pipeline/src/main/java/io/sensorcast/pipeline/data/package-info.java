/** Readings from files: CSV series (through the model's one CSV reader) as sensor readings. */
package io.sensorcast.pipeline.data;
