package dev.llmjudge.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;

/**
 * The build lines README gives a Maven user are the ones of the fixture project that {@code mvn verify}
 * builds through the Invoker plugin ({@code src/it/readme-build}), which checks that its tests run
 * and its report is written: so the README cannot drift from a build that was seen to work.
 */
class ReadmeBuildSectionTest {
    private static final Pattern XML_BLOCK = Pattern.compile("```xml\n(.*?)```", Pattern.DOTALL);

    @Test
    void should_give_the_build_lines_of_the_fixture_project_that_mvn_verify_builds() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String usingIt = readme.substring(readme.indexOf("## Using it"), readme.indexOf("### Three outcomes"));
        List<String> blocks = XML_BLOCK.matcher(usingIt).results().map(m -> m.group(1)).toList();
        String buildBlock = blocks.stream().filter(b -> b.contains("maven-surefire-plugin")).findFirst().orElseThrow(
                () -> new AssertionError("README's \"Using it\" has no xml block with maven-surefire-plugin"));

        String fixture = Files.readString(Path.of("src/it/readme-build/pom.xml"))
                .replace("@project.version@", projectVersion());

        assertThat(buildBlock).contains("<artifactId>llm-judge-junit</artifactId>", "<artifactId>junit-jupiter</artifactId>",
                "<version>3.5.4</version>");
        assertThat(fixture).as("src/it/readme-build/pom.xml holds README's block verbatim").contains(buildBlock.strip());
    }

    @Test
    void should_name_the_surefire_version_the_library_builds_with() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        Matcher surefire = Pattern.compile("<artifactId>maven-surefire-plugin</artifactId>\n\\s*<version>([^<]+)</version>").matcher(
                Files.readString(Path.of("pom.xml")));
        assertThat(surefire.find()).isTrue();
        assertThat(readme).contains("<artifactId>maven-surefire-plugin</artifactId>\n      <version>" + surefire.group(1) + "</version>");
    }

    private static String projectVersion() throws Exception {
        var pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        var children = pom.getDocumentElement().getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if ("version".equals(children.item(i).getNodeName())) {
                return children.item(i).getTextContent().strip();
            }
        }
        throw new AssertionError("pom.xml has no <version>");
    }
}
