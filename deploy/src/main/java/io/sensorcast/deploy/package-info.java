/**
 * Cluster deployment: the job jar, the TaskManager lib sets, local standalone-cluster tooling,
 * Kubernetes and compose files.
 */
package io.sensorcast.deploy;
