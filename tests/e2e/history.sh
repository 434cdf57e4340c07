#!/bin/sh
# History from git (dates, contributors, renames, re-adds, .mailmap,
# shallow clones), the recent changes page and the sitemap/JSON-LD dates.
. tests/e2e/lib/common.sh
. tests/e2e/lib/minimal.sh

R=$T/repo
new_repo "$R"
minimal_kb "$R"
# as_author NAME EMAIL DATE MESSAGE: commits everything as that author.
as_author() {
	git -C "$R" add -A
	GIT_AUTHOR_NAME=$1 GIT_AUTHOR_EMAIL=$2 GIT_AUTHOR_DATE=$3 \
		GIT_COMMITTER_DATE=$3 git -C "$R" commit -q -m "$4"
}
as_author "Ada Author" ada@example.org "2021-03-01T09:00:00+01:00" "first"
case_study "$R" oracy "Oracy in year 5" "ORACY"
as_author "Bea Writer" bea@example.org "2021-05-10T12:00:00Z" "add oracy"
echo "More." >>"$R/case-studies/talk-for-writing.md"
as_author "Cy Editor" cy@old.example.org "2022-01-15T08:30:00-05:00" "edit talk"
git -C "$R" mv case-studies/oracy.md case-studies/oracy-in-year-5.md
as_author "Dee Mover" dee@example.org "2022-02-01T10:00:00Z" "rename oracy"
printf 'Cy Editor <cy@example.org> <cy@old.example.org>\nAda Lovelace <ada@example.org>\n' >"$R/.mailmap"
as_author "Ada Author" ada@example.org "2022-02-02T10:00:00Z" "mailmap"
git -C "$R" rm -q case-studies/talk-for-writing.md
as_author "Ed Remover" ed@example.org "2022-03-01T10:00:00Z" "remove talk"
case_study "$R" talk-for-writing "Talk for writing" "BACK"
as_author "Fay Restorer" fay@example.org "2023-04-01T10:00:00Z" "restore talk"

O=$T/out
mkdir -p "$O"
enq build "$R" --out "$O/site"
check "builds with history" test "$rc" -eq 0
P=$O/site/case-studies/talk-for-writing/index.html
check "first published is the first commit" has 'First published</dt><dd><time datetime="2021-03-01T09:00:00+01:00">2021-03-01' "$P"
check "last updated is the re-add" has 'datetime="2023-04-01T10:00:00Z">2023-04-01' "$P"
check "contributors in order, mailmap applied" has '<li>Ada Lovelace</li><li>Cy Editor</li><li>Fay Restorer</li>' "$P"
check "a deletion is no contribution" lacks 'Ed Remover' "$P"
check "date defaults to the first commit" has '<dt>Date</dt><dd>2021-03-01' "$P"
check "JSON-LD dateModified from git" has '"dateModified":"2023-04-01T10:00:00Z"' "$P"
P=$O/site/case-studies/oracy-in-year-5/index.html
check "a rename keeps the first date" has 'datetime="2021-05-10T12:00:00Z">2021-05-10' "$P"
check "a rename keeps the authors" has '<li>Bea Writer</li><li>Dee Mover</li>' "$P"
check "sitemap lastmod from git" has '<loc>https://test.example.org/kb/case-studies/oracy-in-year-5/</loc><lastmod>2022-02-01T10:00:00Z</lastmod>' "$O/site/sitemap.xml"
C=$O/site/changes/index.html
check "recent changes lists the restore" has 'restore talk' "$C"
check "recent changes links the document" has 'href="../case-studies/talk-for-writing/"' "$C"
check "the newest change comes first" test "$(grep -o 'restore talk\|rename oracy' "$C" | head -1)" = "restore talk"
check "history is cached" test -n "$(ls "$O/.enquire-cache"/history-* 2>/dev/null)"

# A front matter date wins over git's.
sed -i 's/^alliance: north-tsa/date: 2019-09-01\nalliance: north-tsa/' "$R/case-studies/oracy-in-year-5.md"
as_author "Bea Writer" bea@example.org "2023-05-01T10:00:00Z" "date oracy"
enq build "$R" --out "$O/site"
check "front matter date wins" has '<dt>Date</dt><dd>2019-09-01' "$O/site/case-studies/oracy-in-year-5/index.html"
check "the cached walk adds the new commit" has 'datetime="2023-05-01T10:00:00Z"' "$O/site/case-studies/oracy-in-year-5/index.html"

# A corrupt cache is ignored, and gives the same site.
cp -R "$O/site" "$O/before"
for f in "$O/.enquire-cache"/*; do printf 'garbage' >"$f"; done
enq build "$R" --out "$O/site"
check "a corrupt cache still builds" test "$rc" -eq 0
check "a corrupt cache gives the same site" diff -r "$O/before" "$O/site"

# A shallow clone falls back to front matter dates with a warning.
git clone -q --depth 1 "file://$R" "$T/shallow"
enq build "$T/shallow" --out "$O/shallow" --no-cache
check "a shallow clone builds" test "$rc" -eq 0
check "a shallow clone warns" has 'shallow clone' "$T/out.txt"
check "a shallow clone shows no git dates" lacks 'First published' "$O/shallow/case-studies/talk-for-writing/index.html"
check "a shallow clone keeps front matter dates" has '<dt>Date</dt><dd>2019-09-01' "$O/shallow/case-studies/oracy-in-year-5/index.html"

# Outside git: no history, no changes page.
mkdir "$T/plain" && cp -R "$R/." "$T/plain/" && rm -rf "$T/plain/.git"
enq build "$T/plain" --out "$O/plain"
check "a folder outside git builds" test "$rc" -eq 0
check "no changes page without history" test ! -e "$O/plain/changes/index.html"

done_testing
