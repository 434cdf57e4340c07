#!/bin/sh
# One build at a time per cache folder: a build started while another
# holds the cache's lock waits for it (and says so), then builds; --quiet
# waits without a word; a build with --no-cache waits on a lock that
# exists but never makes one.
. tests/e2e/lib/common.sh

R=$T/repo
example_repo "$R"
O=$T/out
C=$O/.enquire-cache
mkdir -p "$C"

# hold_lock: holds $C/lock (flock(1)) until $T/release exists.
hold_lock() {
	rm -f "$T/release"
	flock "$C/lock" sh -c "echo held >'$T/held'; while [ ! -e '$T/release' ]; do sleep 0.1; done" &
	holder=$!
	while [ ! -e "$T/held" ]; do sleep 0.05; done
	rm -f "$T/held"
}
# wait_for TEXT FILE: until FILE says TEXT (at most 120 s: valgrind is slow).
wait_for() {
	i=0
	while ! grep -q -- "$1" "$2" 2>/dev/null && [ $i -lt 1200 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

hold_lock
$ENQUIRE_WRAP "$ENQUIRE" build "$R" --out "$O/site" >"$T/out.txt" 2>&1 &
build=$!
wait_for "waiting for another build" "$T/out.txt"
check "a build waits while another holds the cache" has "waiting for another build using '$C'" "$T/out.txt"
check "and has not written the site meanwhile" test ! -e "$O/site/index.html"
touch "$T/release"
wait "$holder"
wait "$build"
check "then builds" test $? -eq 0
check "the site is complete" test -s "$O/site/index.html"

hold_lock
$ENQUIRE_WRAP "$ENQUIRE" build "$R" --out "$O/site" --quiet >"$T/out.txt" 2>&1 &
build=$!
sleep 1
check "--quiet waits" kill -0 "$build"
check "without a word" test ! -s "$T/out.txt"
touch "$T/release"
wait "$holder"
wait "$build"
check "then builds too" test $? -eq 0

hold_lock
$ENQUIRE_WRAP "$ENQUIRE" build "$R" --out "$O/site" --no-cache >"$T/out.txt" 2>&1 &
build=$!
wait_for "waiting for another build" "$T/out.txt"
check "--no-cache waits on an existing lock" has "waiting for another build" "$T/out.txt"
touch "$T/release"
wait "$holder"
wait "$build"
check "then builds" test $? -eq 0

enq build "$R" --out "$T/elsewhere/site" --no-cache
check "--no-cache makes no lock where there is none" test ! -e "$T/elsewhere/.enquire-cache"
check "and builds" test "$rc" -eq 0

done_testing
