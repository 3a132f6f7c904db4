package io.sensorcast.pipeline.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GroupMappingTest {

    @Test
    void firstMatchingRuleWinsElseTheSensorIsItsOwnGroup() {
        GroupMapping m = GroupMapping.parse("k", "pump-.*=pumps; .*-temp=temps");
        assertThat(m.groupOf("pump-7")).isEqualTo("pumps");
        assertThat(m.groupOf("boiler-temp")).isEqualTo("temps");
        assertThat(m.groupOf("fan-1")).isEqualTo("fan-1");
        assertThat(GroupMapping.perSensor().groupOf("x")).isEqualTo("x");
    }

    @Test
    void namesTheKeyOfABadRule() {
        assertThatThrownBy(() -> GroupMapping.parse("sensorcast.models.groups", "nogroup"))
                .hasMessageStartingWith("sensorcast.models.groups rules must be regex=group");
    }
}
