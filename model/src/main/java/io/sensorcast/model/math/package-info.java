/** Numerics that the network's skip path and the linear baseline share: least squares. */
package io.sensorcast.model.math;
