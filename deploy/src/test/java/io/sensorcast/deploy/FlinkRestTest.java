package io.sensorcast.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The REST calls' bodies, against a stand-in for the JobManager's endpoint. */
class FlinkRestTest {

    private HttpServer server;
    private final AtomicReference<JsonNode> posted = new AtomicReference<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/jars/j1/run",
                exchange -> {
                    posted.set(new ObjectMapper().readTree(exchange.getRequestBody()));
                    byte[] reply = "{\"jobid\":\"abc\"}".getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, reply.length);
                    exchange.getResponseBody().write(reply);
                    exchange.close();
                });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private FlinkRest rest() {
        return new FlinkRest(URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
    }

    @Test
    void runsAJarFromASavepointDroppingStateOnlyWhenAsked() {
        assertThat(rest().runJar("j1", "a.B", List.of("--x", "1"), 2, "/sp/1", true))
                .isEqualTo("abc");
        JsonNode body = posted.get();
        assertThat(body.path("entryClass").asText()).isEqualTo("a.B");
        assertThat(body.path("parallelism").asInt()).isEqualTo(2);
        assertThat(body.path("programArgsList").toString()).isEqualTo("[\"--x\",\"1\"]");
        assertThat(body.path("savepointPath").asText()).isEqualTo("/sp/1");
        assertThat(body.path("allowNonRestoredState").asBoolean()).isTrue();

        rest().runJar("j1", "a.B", List.of(), 1, "/sp/1");
        assertThat(posted.get().path("allowNonRestoredState").asBoolean(true)).isFalse();

        rest().runJar("j1", "a.B", List.of(), 1, null);
        assertThat(posted.get().has("savepointPath")).isFalse();
        assertThat(posted.get().has("allowNonRestoredState")).isFalse();
    }
}
