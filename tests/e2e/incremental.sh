#!/bin/sh
# Reproducible builds (byte-identical whatever the threads, time zone or
# locale) and incremental builds (after a one-file commit: the same bytes
# as a full build, and only the changed files rewritten).
. tests/e2e/lib/common.sh

R=$T/repo
example_repo "$R"
O=$T/out
mkdir -p "$O"

TZ=Pacific/Kiritimati LC_ALL=C enq build "$R" --out "$O/a" -j 1 --no-cache
check "build with -j 1" test "$rc" -eq 0
TZ=America/Los_Angeles LC_ALL=C.UTF-8 enq build "$R" --out "$O/b" -j 4 --no-cache
check "build with -j 4" test "$rc" -eq 0
check "the two builds are byte-identical" diff -r "$O/a" "$O/b"
check "no cache is written with --no-cache" test ! -e "$O/.enquire-cache"
sleep 1
TZ=Asia/Tokyo enq build "$R" --out "$O/b" -j 2
check "a later build is byte-identical too" diff -r "$O/a" "$O/b"

# Worktree mode honours SOURCE_DATE_EPOCH for files changed since HEAD.
echo "Edited." >>"$R/case-studies/kestrel-moor-dialogic-questioning.md"
SOURCE_DATE_EPOCH=1700000000 enq build "$R" --worktree --out "$O/w1" --no-cache
SOURCE_DATE_EPOCH=1700000000 enq build "$R" --worktree --out "$O/w2" --no-cache -j 1
check "worktree builds with SOURCE_DATE_EPOCH are identical" diff -r "$O/w1" "$O/w2"
check "an uncommitted edit is updated at SOURCE_DATE_EPOCH" has 'datetime="2023-11-14T22:13:20Z"' "$O/w1/case-studies/kestrel-moor-dialogic-questioning/index.html"
git -C "$R" checkout -q -- .

# Incremental: build, commit one change, build again.
enq build "$R" --out "$O/site"
check "first cached build" test "$rc" -eq 0
find "$O/site" -type f -exec stat -c '%i %n' {} + | sort -k2 >"$T/before"
enq build "$R" --out "$O/site"
check "a build with nothing changed keeps every file" has ' 0.0 MB written' "$T/out.txt"
sed -i 's/^## Impact/## Impact\n\nA new finding./' "$R/case-studies/kestrel-moor-dialogic-questioning.md"
commit_all "$R" "one edit"
enq build "$R" --out "$O/site"
check "incremental build" test "$rc" -eq 0
enq build "$R" --out "$O/full" --no-cache
check "incremental equals a full build byte for byte" diff -r "$O/site" "$O/full"
check "and so does its search index" diff -r "$O/site/search" "$O/full/search"
check "the search token cache is kept" test -s "$O/.enquire-cache/search-tokens"
find "$O/site" -type f -exec stat -c '%i %n' {} + | sort -k2 >"$T/after"
changed=$(join -1 2 -2 2 "$T/before" "$T/after" | awk '$2 != $3 {print $1}' | sed "s|$O/site/||" | sort)
check "the edited page was rewritten" sh -c "echo '$changed' | grep -qx 'case-studies/kestrel-moor-dialogic-questioning/index.html'"
check "the feed was rewritten" sh -c "echo '$changed' | grep -qx 'feed.xml'"
check "unaffected pages were not rewritten" sh -c "! echo '$changed' | grep -q 'claims/pedagogy-5/index.html\|alliances/index.html\|assets/style.css'"
total=$(wc -l <"$T/after")
nchanged=$(echo "$changed" | wc -l)
check "only a few files rewritten ($nchanged of $total)" test "$nchanged" -lt $((total / 4))

# The parse cache: unchanged documents are not parsed again, an edit is
# picked up, and a corrupt or short cache file means parsing everything.
P="$O/.enquire-cache/parse-cache"
check "the parse cache is written" test -s "$P"
ENQUIRE_TIMING=1 enq build "$R" --out "$O/site"
check "nothing changed: no document is parsed" has 'parses .* from the cache, 0 parsed' "$T/out.txt"
sed -i 's/^title: .*/title: "Dialogic questioning, revisited"/; s/A new finding\./A newer finding./' \
	"$R/case-studies/kestrel-moor-dialogic-questioning.md"
commit_all "$R" "edit front matter and body"
ENQUIRE_TIMING=1 enq build "$R" --out "$O/site"
check "one edited document: its front matter and body are parsed" has 'parses .* from the cache, 2 parsed' "$T/out.txt"
check "the edited title is on the page" has 'Dialogic questioning, revisited' "$O/site/case-studies/kestrel-moor-dialogic-questioning/index.html"
check "the edited body is on the page" has 'A newer finding.' "$O/site/case-studies/kestrel-moor-dialogic-questioning/index.html"
enq build "$R" --out "$O/full" --no-cache
check "and the site equals a full build" diff -r "$O/site" "$O/full"
size=$(wc -c <"$P")
printf 'corrupt' | dd of="$P" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
cp "$P" "$T/corrupt"
enq build "$R" --out "$O/nc" --no-cache
check "--no-cache leaves the parse cache alone" cmp "$P" "$T/corrupt"
ENQUIRE_TIMING=1 enq build "$R" --out "$O/site"
check "a corrupt parse cache is ignored" has 'parses .* 0 from the cache' "$T/out.txt"
check "and the site equals a full build" diff -r "$O/site" "$O/full"
ENQUIRE_TIMING=1 enq build "$R" --out "$O/site"
check "the corrupt parse cache was replaced" has 'parses .* from the cache, 0 parsed' "$T/out.txt"
truncate -s $((size / 3)) "$P"
ENQUIRE_TIMING=1 enq build "$R" --out "$O/site"
check "a truncated parse cache is ignored" has 'parses .* 0 from the cache' "$T/out.txt"
check "and the site equals a full build" diff -r "$O/site" "$O/full"

# A damaged search token cache is ignored (and replaced).
printf 'xx' | dd of="$O/.enquire-cache/search-tokens" bs=1 seek=100 conv=notrunc 2>/dev/null
sed -i 's/^A newer finding\./A newer finding about coaching./' "$R/case-studies/kestrel-moor-dialogic-questioning.md"
commit_all "$R" "another edit"
enq build "$R" --out "$O/site"
check "a build over a damaged token cache" test "$rc" -eq 0
enq build "$R" --out "$O/full" --no-cache
check "still equals a full build" diff -r "$O/site" "$O/full"
head -c 1000 "$O/.enquire-cache/search-tokens" >"$T/tokens"
mv "$T/tokens" "$O/.enquire-cache/search-tokens"
sed -i 's/^A newer finding about coaching\./A finding about questioning./' "$R/case-studies/kestrel-moor-dialogic-questioning.md"
commit_all "$R" "a third edit"
enq build "$R" --out "$O/site"
enq build "$R" --out "$O/full" --no-cache
check "a truncated token cache is ignored too" diff -r "$O/site" "$O/full"

# A corrupt manifest or a site changed behind enquire's back: full build.
for f in "$O/.enquire-cache"/pages-*; do printf 'x' >>"$f"; done
enq build "$R" --out "$O/site"
check "a corrupt manifest is ignored" has '(0 unchanged' "$T/out.txt"
check "and the site is still right" diff -r "$O/site" "$O/full"
enq build "$R" --out "$O/site"
echo "tampered" >"$O/site/.enquire-build"
enq build "$R" --out "$O/site"
check "a site with another build id is rebuilt in full" has '(0 unchanged' "$T/out.txt"
check "and equals the full build" diff -r "$O/site" "$O/full"

# Another build of enquire (here: the same program with one byte more,
# which still runs) may render differently: it renders every page again.
enq build "$R" --out "$O/site"
cp "$ENQUIRE" "$T/enquire-rebuilt" && printf 'x' >>"$T/enquire-rebuilt"
top=$(cd "$(dirname "$0")/../.." && pwd)
rebuilt() {
	ENQUIRE_THEMES=$top/themes ENQUIRE_PLUGINS=$top/plugins \
		$ENQUIRE_WRAP "$T/enquire-rebuilt" "$@" >"$T/out.txt" 2>&1
}
rebuilt build "$R" --out "$O/site"
check "a new enquire binary renders every page again" has '(0 unchanged' "$T/out.txt"
rebuilt build "$R" --out "$O/full-rebuilt" --no-cache
check "and equals its full build" diff -r "$O/site" "$O/full-rebuilt"

done_testing
