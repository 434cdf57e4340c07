#!/bin/sh
# The caches as stores of segments and an index (generator/kvstore.h):
# a rebuild after a one-file commit adds a small segment instead of
# rewriting the caches, a damaged segment byte is a miss for one entry
# (never a wrong page), the blob store spares git the blobs it holds,
# and --no-cache and --worktree leave the stores alone.
. tests/e2e/lib/common.sh

R=$T/repo
example_repo "$R"
O=$T/out
C=$O/.enquire-cache
mkdir -p "$O"
F=case-studies/kestrel-moor-dialogic-questioning.md

enq build "$R" --out "$O/site"
check "first cached build" test "$rc" -eq 0
check "the blob store is written" test -s "$C/blobs"
check "with one segment per store" test "$(ls "$C" | grep -c '^\(blobs\|parse-cache\|search-tokens\)\.')" -eq 3
seg=$(ls "$C" | grep '^parse-cache\.')
stat -c '%i %s %Y' "$C/$seg" >"$T/seg-before"

sed -i 's/^## Impact/## Impact\n\nA new finding./' "$R/$F"
commit_all "$R" "one edit"
ENQUIRE_TIMING=1 enq build "$R" --out "$O/site"
check "one-file commit: one body parsed" has 'parses .* from the cache, 1 parsed' "$T/out.txt"
stat -c '%i %s %Y' "$C/$seg" >"$T/seg-after"
check "the old parse cache segment is not rewritten" cmp "$T/seg-before" "$T/seg-after"
check "a small segment is added beside it" test "$(ls "$C" | grep -c '^parse-cache\.')" -eq 2
enq build "$R" --out "$O/full" --no-cache
check "and the site equals a full build" diff -r "$O/site" "$O/full"

# a damaged byte in the middle of every segment of every store
for s in $(ls "$C" | grep '^\(blobs\|parse-cache\|search-tokens\)\.'); do
	size=$(wc -c <"$C/$s")
	printf 'x' | dd of="$C/$s" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
done
tar -C "$C" -cf "$T/damaged.tar" .
enq build "$R" --out "$O/nc" --no-cache
tar -C "$C" -cf "$T/after-nc.tar" .
check "--no-cache leaves the stores alone" cmp "$T/damaged.tar" "$T/after-nc.tar"
ENQUIRE_TIMING=1 enq build "$R" --out "$O/site"
check "a build over damaged segments" test "$rc" -eq 0
check "parses again what was damaged" has 'parses .* from the cache, [1-9][0-9]* parsed' "$T/out.txt"
check "still takes most parses from the cache" sh -c "! grep -q 'parses .* 0 from the cache' '$T/out.txt'"
check "and equals a full build" diff -r "$O/site" "$O/full"
ENQUIRE_TIMING=1 enq build "$R" --out "$O/site"
check "the damaged entries were replaced" has 'parses .* from the cache, 0 parsed' "$T/out.txt"

# worktree mode has no blob ids: the blob store is neither read nor written
tar -C "$C" -cf "$T/before-wt.tar" blobs $(cd "$C" && ls | grep '^blobs\.')
echo "Edited." >>"$R/$F"
enq build "$R" --worktree --out "$O/site"
check "a worktree build" test "$rc" -eq 0
tar -C "$C" -cf "$T/after-wt.tar" blobs $(cd "$C" && ls | grep '^blobs\.')
check "leaves the blob store alone" cmp "$T/before-wt.tar" "$T/after-wt.tar"

done_testing
