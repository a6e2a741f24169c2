#!/usr/bin/env bash
# The main job: installs the library from this clone, then runs the example regression suite.
# Works offline (but for Maven Central) and without any key: embedding-judged tests run for real,
# LLM-judged tests replay recorded verdicts or are skipped with the reason. Extra arguments go to
# the suite's Maven run, e.g. `bash example-tests/run.sh -Dtest=SimilarityTest`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

echo "Installing llm-judge-junit from $root ..."
mvn -B -q -f "$root/pom.xml" install -DskipTests

echo "Running the example suite in $root/example-tests ..."
mvn -B -f "$root/example-tests/pom.xml" verify "$@"
