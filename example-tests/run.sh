#!/usr/bin/env bash
# The main job: installs the library from this clone, then runs the example regression suite.
# Works offline (but for Maven Central) and without any key: embedding-judged tests run for real,
# LLM-judged tests replay recorded verdicts or are skipped with the reason. Extra arguments are
# Maven options for both steps, e.g. `bash example-tests/run.sh -o` (offline) or
# `bash example-tests/run.sh -Dtest=SimilarityTest` (the install step skips its own tests anyway).
# The last line printed is the path of the suite's report, whether the suite passed or not.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
report="$root/example-tests/target/llm-judge/report.html"

echo "Installing llm-judge-junit from $root into the local Maven repository (its tests are not run here) ..."
# Maven's step lines as they happen (each plugin, the jars installed, errors), not its full log.
set +e
mvn -B --no-transfer-progress -f "$root/pom.xml" install -DskipTests "$@" \
    | grep -E --line-buffered '^\[INFO\] (--- |Installing .*\.jar|BUILD )|^\[ERROR\]|^\[WARNING\] [^/]'
install_status=${PIPESTATUS[0]}
set -e
if [[ "$install_status" -ne 0 ]]; then
    echo "Installing the library failed (exit $install_status); the example suite was not run." >&2
    exit "$install_status"
fi

echo "Running the example suite in $root/example-tests ..."
status=0
mvn -B -f "$root/example-tests/pom.xml" verify "$@" || status=$?
if [[ -f "$report" ]]; then
    echo "Report: $report"
else
    echo "No report was written (expected at $report)." >&2
fi
exit "$status"
