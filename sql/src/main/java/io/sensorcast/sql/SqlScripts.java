package io.sensorcast.sql;

/** SQL the examples, the {@code sql} command and the tests share. */
public final class SqlScripts {

    private SqlScripts() {}

    /**
     * A table over a readings topic in its JSON format ({@code sensor}, {@code ts} as an ISO-8601
     * instant, {@code value}), with a watermark 30 s behind, bounded at the offsets latest when the
     * query starts.
     */
    public static String readingsTable(String name, String bootstrapServers, String topic) {
        return "CREATE TEMPORARY TABLE "
                + name
                + " (\n"
                + "  sensor STRING,\n"
                + "  ts TIMESTAMP_LTZ(3),\n"
                + "  `value` DOUBLE,\n"
                + "  WATERMARK FOR ts AS ts - INTERVAL '30' SECOND\n"
                + ") WITH (\n"
                + "  'connector' = 'kafka',\n"
                + "  'topic' = '"
                + topic
                + "',\n"
                + "  'properties.bootstrap.servers' = '"
                + bootstrapServers
                + "',\n"
                + "  'scan.startup.mode' = 'earliest-offset',\n"
                + "  'scan.bounded.mode' = 'latest-offset',\n"
                + "  'format' = 'json',\n"
                + "  'json.timestamp-format.standard' = 'ISO-8601',\n"
                + "  'json.ignore-parse-errors' = 'true'\n"
                + ")";
    }
}
