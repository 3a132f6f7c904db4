package io.sensorcast.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqlScriptsTest {

    @Test
    void cutsAtSemicolonsOutsideQuotesIdentifiersAndComments() {
        String script =
                "-- a comment; not a statement\n"
                        + "CREATE TABLE `a;b` (x INT) WITH ('k' = 'v;w');\n"
                        + "/* block; comment */ SELECT 'it''s; one' FROM t;;\n"
                        + "SELECT \"q;\" FROM u";
        assertThat(SqlScripts.statements(script, Map.of()))
                .containsExactly(
                        "CREATE TABLE `a;b` (x INT) WITH ('k' = 'v;w')",
                        "SELECT 'it''s; one' FROM t",
                        "SELECT \"q;\" FROM u");
    }

    @Test
    void replacesVariablesAndNamesAnUnknownOne() {
        assertThat(
                        SqlScripts.statements(
                                "SELECT '${models}' FROM ${t}", Map.of("models", "/m", "t", "x")))
                .isEqualTo(List.of("SELECT '/m' FROM x"));
        assertThatThrownBy(
                        () ->
                                SqlScripts.substitute(
                                        "${bootstrap} ${nope}", Map.of("bootstrap", "b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("${nope}")
                .hasMessageContaining("[bootstrap]");
        assertThatThrownBy(() -> SqlScripts.substitute("SELECT ${x", Map.of("x", "1")))
                .hasMessageContaining("unclosed ${ at offset 7");
    }

    @Test
    void refusesAnUnclosedQuote() {
        assertThatThrownBy(() -> SqlScripts.split("SELECT 'open; FROM t"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("opened at offset 7 is never closed");
    }
}
