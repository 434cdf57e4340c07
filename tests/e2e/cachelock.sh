#!/bin/sh
# One build at a time per cache folder: a build started while another
# holds the cache's lock waits for it (and says so), then builds; --quiet
# waits without a word; a build with --no-cache waits on a lock that
# exists but never makes one; a build holding the lock removes what a
# killed build left beside the site.
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

# What a build killed half way leaves beside the site goes with the next
# build that holds the lock; folders of other names stay.
mkdir -p "$O/site.tmp-AbC123/case-studies" "$O/site.old-xYz789" "$O/site.tmp-notours" "$O/site.tmp-AbC123-x"
echo crashed >"$O/site.tmp-AbC123/case-studies/x.html"
echo "not a folder" >"$O/site.old-qqqqqq"
enq build "$R" --out "$O/site"
check "a build after a crash" test "$rc" -eq 0
check "removes the crashed build's staging folder" test ! -e "$O/site.tmp-AbC123"
check "and its old-site folder" test ! -e "$O/site.old-xYz789"
check "but not folders of other names" test -d "$O/site.tmp-notours"
check "nor longer names" test -d "$O/site.tmp-AbC123-x"
check "nor files" test -f "$O/site.old-qqqqqq"

done_testing
