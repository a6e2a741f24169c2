#!/usr/bin/env bash
# The performance benchmark (see PERFORMANCE.md): builds the library and the benchmark, then
# measures every target against its bound on a loopback judge. Arguments pick targets: 1 2 3 4 5 6 7 jmh.
# BENCH_MAVEN_REPO=/path installs the library into that local repository instead of ~/.m2
# (e.g. a copy of ~/.m2/repository, so that a shared ~/.m2 keeps its artifact).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=()
if [[ -n "${BENCH_MAVEN_REPO:-}" ]]; then
  repo=("-Dmaven.repo.local=${BENCH_MAVEN_REPO}")
fi
mvn -B -q "${repo[@]}" ${BENCH_MAVEN_ARGS:-} install -DskipTests
mvn -B -q "${repo[@]}" ${BENCH_MAVEN_ARGS:-} -f bench/pom.xml package
exec java -cp "bench/target/classes:bench/target/lib/*" dev.llmjudge.bench.Bench "$@"
