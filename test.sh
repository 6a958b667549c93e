#!/usr/bin/env bash
# Builds and runs every test of MeTAI.Intervention, then prints "N passed, N failed, N skipped".
# Installs the Debian packages the tests use (outside readers and validators, Mosquitto, Orthanc, Chromium for the web
# interface's browser test) when they are missing. The build runs `npm ci` for the web interface's libraries.
# Extra arguments go to `dotnet test` (e.g. --filter "FullyQualifiedName~Dicom").
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

packages=(python3-pydicom python3-dicompylercore python3-numpy python3-scipy dcmtk dicom3tools mosquitto plastimatch chromium libcharls2 libopenjp2-7 libgdcm-tools orthanc openssl)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The build runs npm (the web interface's Chart.js, pinned by app/MeTAI.Service/package-lock.json).
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]}" >&2
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 \
    || { echo "test.sh: could not install ${missing[*]}" >&2; exit 1; }
fi

dotnet build MeTAI.Intervention.sln -c Release -nologo -v quiet -clp:ErrorsOnly || { echo "0 passed, 1 failed, 0 skipped (build failed)"; exit 1; }

results="$here/TestResults"
rm -rf "$results"
# One test project at a time: the HIL, controller and service tests check reaction times over real transports, and
# with every test assembly running at once on a 2-core machine all their threads starve (a campaign run saw torque
# off 290 ms after a Fault against a 250 ms budget). One project at a time keeps those measurements meaningful.
rc=0
for project in tests/*/*.Tests.csproj; do
  dotnet test "$project" -c Release --no-build -nologo --logger "trx;LogFileName=$(basename "$project" .csproj).trx" --logger "console;verbosity=minimal" --results-directory "$results" "$@" || rc=1
done

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  p=$(get passed); f=$(get failed); e=$(get error); t=$(get timeout); total=$(get total); x=$(get executed)
  # Skipped tests are counted in total but not executed.
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0})); skipped=$((skipped + ${total:-0} - ${x:-0}))
done
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$rc"
