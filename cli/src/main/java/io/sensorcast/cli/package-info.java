/**
 * The {@code sensorcast} command line: one class per command over the library modules; options,
 * printing and exit codes live here, product logic does not.
 */
package io.sensorcast.cli;
