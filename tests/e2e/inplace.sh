#!/bin/sh
# Rebuilds update the site in place (update mode, generator/output.h):
# files of deleted or renamed documents go (and their folders), a file
# that becomes a folder or the reverse works, collisions are still
# refused, a site without its seal (a crash half way) is rebuilt in
# full, and files no build wrote are left alone. After every step the
# site equals a --no-cache build of the same commit.
. tests/e2e/lib/common.sh
. tests/e2e/lib/minimal.sh

K=$T/kb
mkdir "$K"
minimal_kb "$K"
case_study "$K" reading-recovery "Reading recovery" "READING"
new_repo "$K"
commit_all "$K" "base"
S=$T/site

# same_as_full NAME: the site equals a full build of the same commit.
same_as_full() {
	rm -rf "$T/full"
	$ENQUIRE_WRAP "$ENQUIRE" build "$K" --out "$T/full" --no-cache >/dev/null 2>&1
	if diff -r "$S" "$T/full" >"$T/diff.txt" 2>&1; then
		ok "$1: equals a full build"
	else
		fail "$1: equals a full build"; sed 's/^/# /' "$T/diff.txt"
	fi
}
no_leftovers() {
	check "$1: no temporary folders are left" sh -c "! ls -d '$S'.tmp-* '$S'.old-* 2>/dev/null | grep -q ."
}
updated() { # the last build reused files, so it ran in update mode
	check "$1: an update in place" sh -c "! grep -q '(0 unchanged' '$T/out.txt'"
}

enq build "$K" --out "$S"
check "first build" test "$rc" -eq 0
marker=$(stat -c %i "$S/.enquire-site")

# A document deleted: its pages go, and their folder.
git -C "$K" rm -q case-studies/reading-recovery.md
commit_all "$K" "delete a case study"
enq build "$K" --out "$S"
check "build after a deletion" test "$rc" -eq 0
updated "deletion"
check "the deleted document's page is gone" test ! -e "$S/case-studies/reading-recovery/index.html"
check "and its folder" test ! -e "$S/case-studies/reading-recovery"
check "the marker file was not rewritten" test "$(stat -c %i "$S/.enquire-site")" = "$marker"
same_as_full "deletion"
no_leftovers "deletion"

# A document renamed.
git -C "$K" mv case-studies/talk-for-writing.md case-studies/talk-to-write.md
commit_all "$K" "rename a case study"
enq build "$K" --out "$S"
check "build after a rename" test "$rc" -eq 0
updated "rename"
check "the new page exists" has COMMITTED-TEXT "$S/case-studies/talk-to-write/index.html"
check "the old folder is gone" test ! -e "$S/case-studies/talk-for-writing"
same_as_full "rename"

# A static file that becomes a folder, and back.
printf 'a file\n' >"$K/static/notes"
commit_all "$K" "a static file"
enq build "$K" --out "$S"
check "static file added" test -f "$S/notes"
git -C "$K" rm -q static/notes
mkdir -p "$K/static/notes"
printf 'in a folder\n' >"$K/static/notes/index.txt"
commit_all "$K" "the file becomes a folder"
enq build "$K" --out "$S"
check "build where a file became a folder" test "$rc" -eq 0
updated "file to folder"
check "the folder replaced the file" has 'in a folder' "$S/notes/index.txt"
same_as_full "file to folder"
git -C "$K" rm -q -r static/notes
mkdir -p "$K/static"
printf 'a file again\n' >"$K/static/notes"
commit_all "$K" "the folder becomes a file"
enq build "$K" --out "$S"
check "build where a folder became a file" test "$rc" -eq 0
updated "folder to file"
check "the file replaced the folder" has 'a file again' "$S/notes"
same_as_full "folder to file"

# Collisions an unchanged file would hide are still refused, and the
# site is left as it was.
cp -R "$S" "$T/before"
mkdir -p "$K/static/claims"
printf 'clash\n' >"$K/static/404.html"
commit_all "$K" "a static file where a page is"
enq build "$K" --out "$S"
check "a static file over an unchanged page is refused" test "$rc" -eq 1
check "with the usual message" has "two outputs want the same path '404.html'" "$T/out.txt"
check "and the site is untouched" diff -r "$T/before" "$S"
no_leftovers "refused build"
git -C "$K" rm -q static/404.html
printf 'clash\n' >"$K/static/claims/pedagogy-1"
commit_all "$K" "a static file where a page's folder is"
enq build "$K" --out "$S"
check "a file where an unchanged page's folder is is refused" test "$rc" -eq 1
check "naming the path" has "same path 'claims/pedagogy-1'" "$T/out.txt"
check "and the site is untouched again" diff -r "$T/before" "$S"
git -C "$K" rm -q static/claims/pedagogy-1
commit_all "$K" "no clash"

# A crash half way through a commit: the seal goes first, so a site
# without it is not trusted and the next build is a full one.
enq build "$K" --out "$S"
rm "$S/.enquire-build"
rm "$S/index.html"
echo stale >"$S/stale.html"
enq build "$K" --out "$S"
check "a site without its seal: build" test "$rc" -eq 0
check "is rebuilt in full" has '(0 unchanged' "$T/out.txt"
check "the missing page is back" test -s "$S/index.html"
check "the half-done state is gone" test ! -e "$S/stale.html"
same_as_full "after a crash"

# Files no build wrote: an update in place leaves them (it never lists
# the site: that would cost a walk of every folder); a full build drops
# them. A stray file in a folder that empties keeps the folder.
echo mine >"$S/robots.txt"
echo mine >"$S/case-studies/talk-to-write/notes.txt"
git -C "$K" mv case-studies/talk-to-write.md case-studies/talk-for-writing.md
commit_all "$K" "rename back"
enq build "$K" --out "$S"
check "build over stray files" test "$rc" -eq 0
updated "stray files"
check "a stray file is left alone" test -f "$S/robots.txt"
check "the folder holding a stray file stays" test -f "$S/case-studies/talk-to-write/notes.txt"
check "the built file in it is gone" test ! -e "$S/case-studies/talk-to-write/index.html"
enq build "$K" --out "$S" --no-cache
check "a full build drops stray files" test ! -e "$S/robots.txt"
same_as_full "after strays"

# A stray folder where a new file goes: the commit fails, the seal
# stays off, and the next build repairs the site in full.
mkdir -p "$S/late/x" "$K/static"
printf 'late\n' >"$K/static/late"
commit_all "$K" "a file where a stray folder is"
enq build "$K" --out "$S"
check "a stray folder in the way fails the build" test "$rc" -eq 1
check "saying which file" has "cannot move 'late' into" "$T/out.txt"
check "the seal is off" test ! -e "$S/.enquire-build"
no_leftovers "failed commit"
rm -r "$S/late"
enq build "$K" --out "$S"
check "the next build is a full one" has '(0 unchanged' "$T/out.txt"
same_as_full "after a failed commit"

done_testing
