-- Anomaly alerts from the readings topic, by SENSORCAST_DETECT, to a Kafka topic.
--
--   ./sensorcast kafka &                                  # an embedded broker on localhost:9092
--   ./sensorcast replay --csv data/nab/data/realKnownCause/machine_temperature_system_failure.csv
--   ./sensorcast sql --file examples/sql/detect.sql
--
-- ${bootstrap} and ${models} are the command's --bootstrap and --models (docs/sql.md). The
-- readings table stops at the offsets latest when the script starts, so the job ends once it has
-- read them; drop 'scan.bounded.mode' to keep it running.

CREATE TABLE readings (
  sensor STRING,
  ts TIMESTAMP_LTZ(3),
  `value` DOUBLE,
  WATERMARK FOR ts AS ts - INTERVAL '30' SECOND
) WITH (
  'connector' = 'kafka',
  'topic' = 'sensorcast.readings',
  'properties.bootstrap.servers' = '${bootstrap}',
  'scan.startup.mode' = 'earliest-offset',
  'scan.bounded.mode' = 'latest-offset',
  'format' = 'json',
  'json.timestamp-format.standard' = 'ISO-8601',
  'json.ignore-parse-errors' = 'true'
);

CREATE TABLE alerts (
  sensor STRING,
  ts TIMESTAMP_LTZ(3),
  target STRING,
  actual DOUBLE,
  predicted DOUBLE,
  score DOUBLE,
  alert_score DOUBLE,
  model_version BIGINT
) WITH (
  'connector' = 'kafka',
  'topic' = 'sensorcast.sql-alerts',
  'properties.bootstrap.servers' = '${bootstrap}',
  'format' = 'json',
  'json.timestamp-format.standard' = 'ISO-8601',
  'sink.delivery-guarantee' = 'at-least-once'
);

INSERT INTO alerts
SELECT sensor, rowtime, target, actual, predicted, score, alert_score, model_version
FROM SENSORCAST_DETECT(
  input => TABLE readings PARTITION BY sensor,
  on_time => DESCRIPTOR(ts),
  uid => 'detect',
  store => '${models}'
)
WHERE is_anomaly;
