#!/usr/bin/env bash
# The performance benchmark (see PERFORMANCE.md): builds the library and the benchmark, then
# measures every target against its bound on a loopback judge. Arguments pick targets: 1 2 3 4.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q install -DskipTests
mvn -B -q -f bench/pom.xml package
exec java -cp "bench/target/classes:bench/target/lib/*" dev.llmjudge.bench.Bench "$@"
