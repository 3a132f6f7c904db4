/**
 * DJL and libtorch in this JVM: engine settings, the oneDNN cap, the CPU facts and the known-answer
 * self-check that keeps wrong kernels from training or serving.
 */
package io.sensorcast.model.engine;
