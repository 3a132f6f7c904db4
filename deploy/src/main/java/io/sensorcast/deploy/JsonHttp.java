package io.sensorcast.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * JSON over HTTP to one of Flink's REST endpoints (the cluster's, the SQL Gateway's). An answer of
 * 400 or more throws with the endpoint's own {@code errors}; an unreachable endpoint throws {@link
 * UncheckedIOException}.
 */
final class JsonHttp {

    static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String what;
    private final HttpClient http;

    /** {@code what} names the endpoint in errors, e.g. "Flink REST endpoint". */
    JsonHttp(URI base, String what) {
        this.base = base;
        this.what = what;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    URI base() {
        return base;
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path));
    }

    JsonNode get(String path) {
        return send(request(path).GET().build());
    }

    JsonNode post(String path, JsonNode body) {
        return send(
                request(path)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .build());
    }

    JsonNode delete(String path) {
        return send(request(path).DELETE().build());
    }

    JsonNode send(HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new UncheckedIOException(what + " " + base + " is not reachable", e);
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
