# Shared helpers for the end-to-end tests: TAP output and temp repositories.
# Each test script sources this, then calls ok/fail/check and finally done.
# $ENQUIRE is the binary under test (tests/run.sh sets it).

set -u
: "${ENQUIRE:=$(pwd)/enquire}"
TOP=$(pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/enquire-e2e.XXXXXX")
trap 'rm -rf "$T"' EXIT
n=0
failures=0
# No parent of the temp dir may be taken for the repository under test.
export GIT_CEILING_DIRECTORIES=$(dirname "$T")
export GIT_AUTHOR_NAME="Test Author" GIT_AUTHOR_EMAIL=author@example.org
export GIT_COMMITTER_NAME="Test Author" GIT_COMMITTER_EMAIL=author@example.org
export GIT_CONFIG_NOSYSTEM=1 HOME="$T"
# Under valgrind or sanitizers the wrapper is given in $ENQUIRE_WRAP.
: "${ENQUIRE_WRAP:=}"

ok() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); failures=$((failures + 1)); echo "not ok $n - $1"; }
# check DESCRIPTION COMMAND...: passes when the command succeeds.
check() { d=$1; shift; if "$@" >/dev/null 2>&1; then ok "$d"; else fail "$d"; fi; }
# enq ARGS...: runs enquire, stdout+stderr in $T/out.txt, status in $rc.
enq() { $ENQUIRE_WRAP "$ENQUIRE" "$@" >"$T/out.txt" 2>&1; rc=$?; }
has() { grep -q -- "$1" "$2"; }
lacks() { ! grep -rq -- "$1" "$2"; }
done_testing() { echo "1..$n"; [ "$failures" -eq 0 ]; }

# new_repo DIR: an empty git repository with a main branch.
new_repo() { git init -q -b main "$1"; }
commit_all() { git -C "$1" add -A && git -C "$1" commit -q -m "${2:-update}"; }

# example_repo DIR: a repository whose root holds a copy of content-example.
example_repo() {
	new_repo "$1"
	cp -R "$TOP/content-example/." "$1/"
	commit_all "$1" "import the example knowledge base"
}
