package io.sensorcast.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The few calls of Flink's REST API a deployment needs: cluster overview, jar upload and run, job
 * state, cancel and stop-with-savepoint. Errors carry the REST endpoint's own message.
 */
public final class FlinkRest {

    /** A job as the cluster lists it. */
    public record Job(String id, String name, String state) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http;

    public FlinkRest(URI base) {
        this.base = base;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
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
                HttpRequest.newBuilder(base.resolve("/jars/upload"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArrays(List.of(head, body, tail)))
                        .timeout(Duration.ofMinutes(2))
                        .build();
        String stored = send(request).path("filename").asText();
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
        get("/jobs/overview")
                .path("jobs")
                .forEach(
                        j ->
                                jobs.add(
                                        new Job(
                                                j.path("jid").asText(),
                                                j.path("name").asText(),
                                                j.path("state").asText())));
        return jobs;
    }

    /** {@code GET /jobs/:id}: state, vertices, timestamps. */
    public JsonNode job(String jobId) {
        return get("/jobs/" + jobId);
    }

    /** The job's state, e.g. {@code RUNNING}, {@code RESTARTING}, {@code FINISHED}. */
    public String state(String jobId) {
        return job(jobId).path("state").asText();
    }

    /** The job's exception history, root causes first, as the REST endpoint reports it. */
    public JsonNode exceptions(String jobId) {
        return get("/jobs/" + jobId + "/exceptions");
    }

    /** How many tasks of the job are in state RUNNING, over all its vertices. */
    public int runningTasks(String jobId) {
        int running = 0;
        for (JsonNode v : job(jobId).path("vertices")) {
            running += v.path("tasks").path("RUNNING").asInt();
        }
        return running;
    }

    /** The TaskManagers (resource IDs) running a subtask of the job's vertex named {@code name}. */
    public List<String> taskManagersOf(String jobId, String vertexName) {
        for (JsonNode v : job(jobId).path("vertices")) {
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
        send(
                HttpRequest.newBuilder(base.resolve("/jobs/" + jobId + "?mode=cancel"))
                        .method("PATCH", HttpRequest.BodyPublishers.noBody())
                        .build());
    }

    /**
     * Stops the job with a savepoint in {@code targetDirectory}; returns the savepoint's path once
     * taken (or fails with the cluster's reason).
     */
    public String stopWithSavepoint(String jobId, String targetDirectory, Duration timeout)
            throws InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("drain", false);
        body.put("targetDirectory", targetDirectory);
        String trigger = post("/jobs/" + jobId + "/stop", body).path("request-id").asText();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode status = get("/jobs/" + jobId + "/savepoints/" + trigger);
            if ("COMPLETED".equals(status.path("status").path("id").asText())) {
                JsonNode op = status.path("operation");
                if (op.has("failure-cause")) {
                    throw new IllegalStateException(
                            "savepoint of job "
                                    + jobId
                                    + " failed: "
                                    + op.path("failure-cause").path("stack-trace").asText());
                }
                return op.path("location").asText();
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(
                "savepoint of job " + jobId + " not complete after " + timeout);
    }

    private JsonNode get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET().build());
    }

    private JsonNode post(String path, JsonNode body) {
        return send(
                HttpRequest.newBuilder(base.resolve(path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .build());
    }

    private JsonNode send(HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new UncheckedIOException("Flink REST endpoint " + base + " is not reachable", e);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + request.uri(), e);
        }
        JsonNode json;
        try {
            json =
                    response.body().isEmpty()
                            ? JSON.createObjectNode()
                            : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(
                    request.uri() + " answered " + response.statusCode() + ": " + response.body());
        }
        if (response.statusCode() >= 400) {
            throw new IllegalStateException(
                    request.method()
                            + " "
                            + request.uri()
                            + " answered "
                            + response.statusCode()
                            + ": "
                            + json.path("errors"));
        }
        return json;
    }
}
