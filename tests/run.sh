#!/bin/sh
# Runs every test suite and prints one summary line: "N passed, N failed".
#   unit tests: build/tests/test_* (cmocka), one binary per module
#   end-to-end: tests/e2e/*.sh, which print TAP lines ("ok", "not ok")
#   browser: tests/browser/run.mjs (chromium, axe-core, Nu HTML Checker) on
#            content-example built by $ENQUIRE into a temp folder
# Usage: sh tests/run.sh [BUILD_DIR]
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
passed=0
failed=0
failures=""
log=$(mktemp)
trap 'rm -f "$log"' EXIT

count() { # $1: suite name; reads $log
	p=$(grep -cE '^\[       OK \]|^ok ' "$log")
	f=$(grep -cE '^\[  FAILED  \] [^0-9]|^not ok ' "$log")
	passed=$((passed + p))
	failed=$((failed + f))
	[ "$f" -gt 0 ] && failures="$failures $1"
}

for t in "$top/$build"/tests/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	(cd "$top" && CMOCKA_MESSAGE_OUTPUT=stdout ${UNIT_WRAP:-} "$t") >"$log" 2>&1
	rc=$?
	cat "$log"
	count "$name"
	if [ $rc -ne 0 ] && ! grep -qE '^\[  FAILED  \] [^0-9]' "$log"; then
		echo "not ok - $name exited with status $rc"
		failed=$((failed + 1))
		failures="$failures $name"
	fi
done

for t in "$top"/tests/e2e/*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t")
	echo "# $name"
	(cd "$top" && ENQUIRE="${ENQUIRE:-$top/enquire}" sh "$t") >"$log" 2>&1
	rc=$?
	cat "$log"
	count "$name"
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name exited with status $rc"
		failed=$((failed + 1))
		failures="$failures $name"
	fi
done

# Browser tests on the example site (make test-deps installs chromium,
# java and tests/browser/node_modules).
echo "# browser"
site=$(mktemp -d "${TMPDIR:-/tmp}/enquire-browser.XXXXXX")
if ! (cd "$top" && ${ENQUIRE_WRAP:-} "${ENQUIRE:-$top/enquire}" build content-example --out "$site/site") >"$log" 2>&1; then
	cat "$log"
	echo "not ok - browser: build content-example"
	failed=$((failed + 1))
	failures="$failures browser"
elif [ ! -d "$top/tests/browser/node_modules" ] || ! command -v node >/dev/null; then
	echo "not ok - browser: node and tests/browser/node_modules are missing (run make test-deps)"
	failed=$((failed + 1))
	failures="$failures browser"
else
	(cd "$top" && node tests/browser/run.mjs "$site/site") >"$log" 2>&1
	rc=$?
	cat "$log"
	count browser
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - browser tests exited with status $rc"
		failed=$((failed + 1))
		failures="$failures browser"
	fi
fi
rm -rf "$site"

[ -n "$failures" ] && echo "failing suites:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
