package io.sensorcast.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.rest.messages.job.JobDetailsInfo;
import org.apache.flink.util.ExceptionUtils;

/**
 * The calls of Flink's REST API a deployment needs. Job state, cancel and stop-with-savepoint go
 * through Flink's own {@link RestClusterClient}; the calls it does not offer (cluster overview,
 * TaskManagers, jar upload and run, exception history) are plain HTTP. Errors carry the REST
 * endpoint's own message. Close it to release the client's threads.
 */
public final class FlinkRest implements AutoCloseable {

    /** A job as the cluster lists it. */
    public record Job(String id, String name, String state) {}

    private static final ObjectMapper JSON = JsonHttp.JSON;

    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);

    private final URI base;
    private final JsonHttp http;
    private RestClusterClient<StandaloneClusterId> client; // made on first use

    public FlinkRest(URI base) {
        this.base = base;
        this.http = new JsonHttp(base, "Flink REST endpoint");
    }

    public URI base() {
        return base;
    }

    /** Whether the REST endpoint answers. */
    public boolean isUp() {
        try {
            overview();
            return true;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    /** {@code GET /overview}: task managers, slots, jobs by state, Flink version. */
    public JsonNode overview() {
        return get("/overview");
    }

    /** The resource IDs of the registered TaskManagers. */
    public List<String> taskManagers() {
        List<String> ids = new ArrayList<>();
        get("/taskmanagers").path("taskmanagers").forEach(tm -> ids.add(tm.path("id").asText()));
        return ids;
    }

    /** Uploads {@code jar}; returns the id to run it by. */
    public String uploadJar(Path jar) {
        String boundary = "sensorcast-" + UUID.randomUUID();
        byte[] head =
                ("--"
                                + boundary
                                + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                                + jar.getFileName()
                                + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] body;
        try {
            body = Files.readAllBytes(jar);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read job jar " + jar, e);
        }
        HttpRequest request =
                http.request("/jars/upload")
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArrays(List.of(head, body, tail)))
                        .timeout(Duration.ofMinutes(2))
                        .build();
        String stored = http.send(request).path("filename").asText();
        return Path.of(stored).getFileName().toString();
    }

    /**
     * Runs the uploaded jar's {@code entryClass} with {@code args} at {@code parallelism}, from
     * {@code savepoint} when not null; returns the job id.
     */
    public String runJar(
            String jarId, String entryClass, List<String> args, int parallelism, String savepoint) {
        return runJar(jarId, entryClass, args, parallelism, savepoint, false);
    }

    /**
     * {@link #runJar(String, String, List, int, String)}; with {@code allowNonRestoredState} the
     * savepoint's state of operators the job no longer has (or whose uid changed) is dropped
     * instead of failing the start.
     */
    public String runJar(
            String jarId,
            String entryClass,
            List<String> args,
            int parallelism,
            String savepoint,
            boolean allowNonRestoredState) {
        ObjectNode body = JSON.createObjectNode();
        body.put("entryClass", entryClass);
        body.put("parallelism", parallelism);
        args.forEach(body.putArray("programArgsList")::add);
        if (savepoint != null) {
            body.put("savepointPath", savepoint);
            body.put("allowNonRestoredState", allowNonRestoredState);
        }
        return post("/jars/" + jarId + "/run", body).path("jobid").asText();
    }

    /** Every job the cluster knows, running or done. */
    public List<Job> jobs() {
        List<Job> jobs = new ArrayList<>();
        for (JobStatusMessage j : answer(client().listJobs(), "listing the jobs")) {
            jobs.add(new Job(j.getJobId().toHexString(), j.getJobName(), j.getJobState().name()));
        }
        return jobs;
    }

    /** The job's state, e.g. {@code RUNNING}, {@code RESTARTING}, {@code FINISHED}. */
    public String state(String jobId) {
        return answer(client().getJobStatus(id(jobId)), "the state of job " + jobId).name();
    }

    /** The job's exception history, root causes first, as the REST endpoint reports it. */
    public JsonNode exceptions(String jobId) {
        return get("/jobs/" + jobId + "/exceptions");
    }

    /**
     * The job's state backend as its checkpoint configuration names it, e.g. {@code
     * EmbeddedRocksDBStateBackend}.
     */
    public String stateBackend(String jobId) {
        return get("/jobs/" + jobId + "/checkpoints/config").path("state_backend").asText();
    }

    /** How many tasks of the job are in state RUNNING, over all its vertices. */
    public int runningTasks(String jobId) {
        int running = 0;
        for (JobDetailsInfo.JobVertexDetailsInfo v :
                answer(client().getJobDetails(id(jobId)), "the details of job " + jobId)
                        .getJobVertexInfos()) {
            running += v.getTasksPerState().getOrDefault(ExecutionState.RUNNING, 0);
        }
        return running;
    }

    /** The TaskManagers (resource IDs) running a subtask of the job's vertex named {@code name}. */
    public List<String> taskManagersOf(String jobId, String vertexName) {
        for (JsonNode v : get("/jobs/" + jobId).path("vertices")) {
            if (v.path("name").asText().contains(vertexName)) {
                List<String> ids = new ArrayList<>();
                get("/jobs/" + jobId + "/vertices/" + v.path("id").asText() + "/taskmanagers")
                        .path("taskmanagers")
                        .forEach(tm -> ids.add(tm.path("taskmanager-id").asText()));
                return ids;
            }
        }
        throw new IllegalArgumentException(
                "job " + jobId + " has no vertex whose name contains '" + vertexName + "'");
    }

    /** Cancels the job (no savepoint). */
    public void cancel(String jobId) {
        answer(client().cancel(id(jobId)), "cancelling job " + jobId);
    }

    /**
     * Stops the job with a savepoint in {@code targetDirectory}; returns the savepoint's path once
     * taken (or fails with the cluster's reason).
     */
    public String stopWithSavepoint(String jobId, String targetDirectory, Duration timeout) {
        return answer(
                client().stopWithSavepoint(
                                id(jobId), false, targetDirectory, SavepointFormatType.DEFAULT),
                "the savepoint of job " + jobId,
                timeout);
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    private synchronized RestClusterClient<StandaloneClusterId> client() {
        if (client == null) {
            Configuration config = new Configuration();
            config.set(RestOptions.ADDRESS, base.getHost());
            config.set(RestOptions.PORT, base.getPort());
            try {
                client = new RestClusterClient<>(config, StandaloneClusterId.getInstance());
            } catch (Exception e) {
                throw new IllegalStateException("cannot open a REST client for " + base, e);
            }
        }
        return client;
    }

    private static JobID id(String jobId) {
        try {
            return JobID.fromHexString(jobId);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a Flink job id: '" + jobId + "'", e);
        }
    }

    private <T> T answer(CompletableFuture<T> request, String what) {
        return answer(request, what, REQUEST_TIMEOUT);
    }

    private <T> T answer(CompletableFuture<T> request, String what, Duration timeout) {
        try {
            return request.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = ExceptionUtils.stripExecutionException(e);
            throw new IllegalStateException(what + " from " + base + " failed: " + cause, cause);
        } catch (TimeoutException e) {
            request.cancel(true);
            throw new IllegalStateException(what + " from " + base + ": no answer in " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + what, e);
        }
    }

    private JsonNode get(String path) {
        return http.get(path);
    }

    private JsonNode post(String path, JsonNode body) {
        return http.post(path, body);
    }
}
