/**
 * The records on the wire: readings, forecasts, scores, dead letters, model updates and retraining
 * reports, as plain Java types with their JSON shape.
 */
package io.sensorcast.connectors.format;
