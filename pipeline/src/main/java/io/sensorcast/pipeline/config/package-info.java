/**
 * Range checks shared by every option class ({@code sensorcast.*}), failing with the key and the
 * allowed range; depends on nothing else of sensorcast.
 */
package io.sensorcast.pipeline.config;
