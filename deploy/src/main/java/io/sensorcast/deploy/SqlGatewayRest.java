package io.sensorcast.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The calls of the SQL Gateway's REST endpoint (API v1, which every gateway since Flink 1.16
 * answers) that running a script needs: open a session, execute a statement and read what it
 * returns, close the session. A statement that fails throws with the gateway's own error, which
 * names the statement's problem (planning errors included).
 */
public final class SqlGatewayRest {

    /** One row of a statement's result: its kind (INSERT, ...) and its fields as JSON. */
    public record Row(String kind, List<JsonNode> fields) {}

    private final JsonHttp http;

    public SqlGatewayRest(URI base) {
        this.http = new JsonHttp(base, "SQL Gateway");
    }

    public URI base() {
        return http.base();
    }

    /** Whether the endpoint answers {@code GET /v1/info}. */
    public boolean isUp() {
        try {
            return http.get("/v1/info").has("version");
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    /** Opens a session with {@code properties} (any Flink or table option); returns its handle. */
    public String openSession(Map<String, String> properties) {
        ObjectNode body = JsonHttp.JSON.createObjectNode();
        properties.forEach(body.putObject("properties")::put);
        return http.post("/v1/sessions", body).path("sessionHandle").asText();
    }

    /** Closes the session; its running jobs keep running on the cluster. */
    public void closeSession(String session) {
        http.delete("/v1/sessions/" + session);
    }

    /**
     * Executes one statement in {@code session} and returns its rows once it has given them all:
     * {@code OK} for DDL and {@code ADD JAR}, the job ID for an {@code INSERT} (which then runs on
     * the cluster). Not for an unbounded {@code SELECT}, whose rows never end.
     */
    public List<Row> execute(String session, String statement, Duration timeout) {
        ObjectNode body = JsonHttp.JSON.createObjectNode().put("statement", statement);
        String operation =
                http.post("/v1/sessions/" + session + "/statements", body)
                        .path("operationHandle")
                        .asText();
        List<Row> rows = new ArrayList<>();
        String next = "/v1/sessions/" + session + "/operations/" + operation + "/result/0";
        long deadline = System.nanoTime() + timeout.toNanos();
        while (next != null) {
            JsonNode page;
            try {
                page = http.get(next);
            } catch (IllegalStateException e) {
                throw new IllegalStateException(firstLine(statement) + ": " + e.getMessage(), e);
            }
            String type = page.path("resultType").asText();
            if (type.equals("NOT_READY")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            firstLine(statement) + ": no result from the gateway in " + timeout);
                }
                sleep(Duration.ofMillis(100));
                continue;
            }
            for (JsonNode r : page.path("results").path("data")) {
                List<JsonNode> fields = new ArrayList<>();
                r.path("fields").forEach(fields::add);
                rows.add(new Row(r.path("kind").asText(), fields));
            }
            JsonNode uri = page.path("nextResultUri");
            next = type.equals("EOS") || uri.isNull() || uri.isMissingNode() ? null : uri.asText();
        }
        return rows;
    }

    private static String firstLine(String statement) {
        String s = statement.strip();
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl) + " ...";
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the SQL Gateway", e);
        }
    }
}
