package io.sensorcast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorcast.pipeline.job.JobConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The generated pages of {@code docs/} are up to date, and every options class is on the
 * configuration page: a key added, removed or redescribed without regenerating fails here, as
 * Flink's own docs-completeness test does for its options.
 */
class ReferenceDocsTest {

    private static final Path DOCS = Path.of("..", "docs");
    private static final boolean WRITE = Boolean.getBoolean("sensorcast.docs.write");

    @Test
    void everyClassDeclaringOptionsIsDocumented() {
        assertThat(ReferenceDocs.classesWithOptions())
                .as("classes with public static ConfigOption fields, against the jobs' known ones")
                .isNotEmpty()
                .containsExactlyInAnyOrderElementsOf(JobConfiguration.OPTION_CLASSES);
    }

    @Test
    void theConfigurationPageListsEveryKeyAsDeclared() throws Exception {
        String page = ReferenceDocs.configurationPage();
        for (Class<?> type : JobConfiguration.OPTION_CLASSES) {
            JobConfiguration.optionsOf(type)
                    .forEach(o -> assertThat(page).contains("| `" + o.key() + "` |"));
        }
        assertThat(page).contains("`sensorcast.scoring.threshold`", "`sensorcast.retrain.mode`");
        check(ReferenceDocs.CONFIGURATION_PAGE, page);
    }

    @Test
    void theCliPageHasEveryCommandsHelp() throws Exception {
        String page = ReferenceDocs.cliPage();
        assertThat(page).contains("## `sensorcast demo`", "## `sensorcast cluster start`");
        check(ReferenceDocs.CLI_PAGE, page);
    }

    private static void check(String name, String expected) throws Exception {
        Path file = DOCS.resolve(name);
        if (WRITE) {
            Files.writeString(file, expected);
        }
        assertThat(Files.exists(file)).as(file + " exists").isTrue();
        assertThat(Files.readString(file))
                .as(
                        "docs/%s is stale: regenerate it with ./mvnw -B -pl cli -am test"
                                + " -Dtest=ReferenceDocsTest -Dsurefire.failIfNoSpecifiedTests=false"
                                + " -Dsensorcast.docs.write=true",
                        name)
                .isEqualTo(expected);
    }
}
