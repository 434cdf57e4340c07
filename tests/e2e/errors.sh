# Bad input gets a clear "file:line:col: error:" message and exit status 1,
# never a crash, and never a half-written or lost site.
. tests/e2e/lib/common.sh
. tests/e2e/lib/minimal.sh

K="$T/kb"
mkdir "$K"
minimal_kb "$K"
enq build "$K" --out "$T/site"
check "the valid base builds" test "$rc" -eq 0
cp -R "$T/site" "$T/before"

# expect_error NAME FILE CONTENT PATTERN: writes FILE (relative to the kb),
# checks that check and build fail with PATTERN, and restores the kb.
expect_error() {
	name=$1 file=$2 content=$3 pattern=$4
	cp -R "$K" "$T/saved"
	mkdir -p "$(dirname "$K/$file")"
	printf '%s' "$content" >"$K/$file"
	enq check "$K"
	if [ "$rc" -eq 1 ] && grep -qE -- "$pattern" "$T/out.txt"; then
		ok "$name: check reports it"
	else
		fail "$name: check reports it (rc=$rc)"; sed 's/^/# /' "$T/out.txt"
	fi
	enq build "$K" --out "$T/site"
	if [ "$rc" -eq 1 ] && diff -r "$T/before" "$T/site" >/dev/null; then
		ok "$name: build fails and leaves the previous site"
	else
		fail "$name: build fails and leaves the previous site (rc=$rc)"
	fi
	rm -rf "$K" && mv "$T/saved" "$K"
}

cs=case-studies/talk-for-writing.md
expect_error "yaml syntax" "$cs" '---
title: "unclosed
alliance: north-tsa
---
' "^$cs:[0-9]+:[0-9]+: error: "
expect_error "unknown claim" "$cs" '---
title: T
alliance: north-tsa
theme: pedagogy
research_questions: [Q?]
claims: [pedagogy-12]
---
' "^$cs:6:10: error: unknown claim 'pedagogy-12'"
expect_error "malformed claim id" "$cs" '---
title: T
alliance: north-tsa
theme: pedagogy
research_questions: [Q?]
claims: [claim three]
---
' "^$cs:6:[0-9]+: error: bad claim id 'claim three'"
expect_error "missing required field" "$cs" '---
alliance: north-tsa
theme: pedagogy
research_questions: [Q?]
claims: [pedagogy-1]
---
' "^$cs:1:1: error: missing required field 'title'"
expect_error "unknown alliance" "$cs" '---
title: T
alliance: south-tsa
theme: pedagogy
research_questions: [Q?]
claims: [pedagogy-1]
---
' "^$cs:3:11: error: unknown alliance 'south-tsa'"
expect_error "bad enum" "$cs" '---
title: T
alliance: north-tsa
theme: pedagogy-ish
research_questions: [Q?]
claims: [pedagogy-1]
---
' "^$cs:4:8: error: unknown theme 'pedagogy-ish'"
expect_error "bad date" "$cs" '---
title: T
alliance: north-tsa
theme: pedagogy
research_questions: [Q?]
claims: [pedagogy-1]
date: 2014-02-30
---
' "^$cs:7:7: error: bad date '2014-02-30'"
expect_error "unclosed front matter" "$cs" '---
title: T
' "^$cs:1:1: error: front matter is not closed"
expect_error "bad slug" "case-studies/Bad_Name.md" '---
title: T
---
' "^case-studies/Bad_Name.md: error: bad file name"
expect_error "missing file" "dissemination/day.md" '---
title: Day
kind: event
date: 2014-06-12
files: [static/missing.pdf]
---
' "^dissemination/day.md:5:[0-9]+: error: file 'static/missing.pdf' is not in"
expect_error "alias bomb" "alliances/bomb.yaml" 'a: &a ["x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
name: [*g,*g,*g,*g,*g,*g,*g,*g,*g]
' "^alliances/bomb.yaml:[0-9]+:[0-9]+: error: .*alias"
expect_error "invalid utf-8" "pages/latin1.md" "$(printf -- '---\ntitle: caf\351\n---\n')" "^pages/latin1.md:2:11: error: invalid UTF-8"
expect_error "template syntax" "themes/default/templates/page.mustache" '{{#doc}}unclosed' "^themes/default/templates/page.mustache:1:[0-9]+: error: "

# A file over 10 MB is refused with its name, not loaded.
cp -R "$K" "$T/saved"
mkdir -p "$K/pages"
head -c 11000000 /dev/zero | tr '\0' 'a' >"$K/pages/huge.md"
enq check "$K"
check "a file over 10 MB is an error" has "^pages/huge.md: error: file is too large" "$T/out.txt"
head -c 11000000 /dev/zero >"$K/static/huge.bin"
enq check "$K"
check "check reports a static file over 10 MB too" has "^static/huge.bin: error: file is too large" "$T/out.txt"
rm -rf "$K" && mv "$T/saved" "$K"

# Unknown fields are warnings: the build goes on.
sed -i 's/^title: Talk for writing/title: Talk for writing\ntitel: typo/' "$K/$cs"
enq build "$K" --out "$T/site"
check "an unknown field still builds" test "$rc" -eq 0
check "an unknown field is a warning" has "^$cs:3:1: warning: unknown field 'titel'" "$T/out.txt"

# enquire never replaces a folder it did not make.
mkdir "$T/precious" && echo keep >"$T/precious/notes.txt"
enq build "$K" --out "$T/precious"
check "refuses to replace a folder of other files" test "$rc" -ne 0
check "the other files are untouched" test "$(cat "$T/precious/notes.txt")" = keep

# Command-line mistakes exit with status 2.
enq build "$K" --no-such-option
check "an unknown option exits 2" test "$rc" -eq 2
enq frobnicate
check "an unknown command exits 2" test "$rc" -eq 2

done_testing
