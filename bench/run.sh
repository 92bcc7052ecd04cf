#!/usr/bin/env bash
# One command for every number in bench/results/: installs what it needs from Debian, builds the jar,
# and runs dev.kitetoken.bench.Bench (redis-server, the fake Kite and the service on this machine,
# measured side by side in one run). Takes about 20 minutes. Quick look: bench/run.sh -Dbench.seconds=5 ...
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v redis-benchmark >/dev/null 2>&1 || missing+=(redis-tools)
if [ ${#missing[@]} -gt 0 ]; then
    echo "bench: installing ${missing[*]} from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq
    as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"
    # Debian starts the packaged nginx and redis-server as services; the benchmark runs its own.
    as_root systemctl stop nginx redis-server >/dev/null 2>&1 || true
fi
export PATH="$PATH:/usr/sbin"

# The native executable first (the jar build after it keeps it in target/): with GRAALVM_HOME, native-image on
# the PATH, or the workplace's stand-in toolchain (../shared/native-toolchain); without any, no native column.
if [ -z "${GRAALVM_HOME:-}" ] && ! command -v native-image >/dev/null 2>&1 && [ -f ../shared/native-toolchain/install ]; then
    GRAALVM_HOME="$(bash ../shared/native-toolchain/install)"
    export GRAALVM_HOME
fi
if [ -n "${GRAALVM_HOME:-}" ] || command -v native-image >/dev/null 2>&1; then
    ./mvnw -B -q package -Dnative -DskipTests
fi
# The benchmark's sources (bench/src) compile with the tests under -Pbench, reusing their support package.
./mvnw -B -q -Pbench package -DskipTests
# The benchmark runs each image as its Dockerfile does (support/ImageRoot: its COPY and RUN lines under
# target/bench, then its ENTRYPOINT with this machine's JDK of the image's version: the Temurin 25 beside
# OpenJDK 17, or JAVA25_HOME).
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
exec java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" "$@" dev.kitetoken.bench.Bench
