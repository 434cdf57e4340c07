# Drafts and internal documents leave not a single byte in a public build.
. tests/e2e/lib/common.sh
. tests/e2e/lib/minimal.sh

K="$T/kb"
new_repo "$K"
minimal_kb "$K"
case_study "$K" secret-draft "DRAFTTITLE" "DRAFTBODY" "status: draft"
case_study "$K" staff-only "INTERNALTITLE" "INTERNALBODY" "visibility: internal"
mkdir -p "$K/dissemination"
cat >"$K/dissemination/day.md" <<'MD'
---
title: Conference day
kind: event
date: 2014-06-12
case_studies: [secret-draft, talk-for-writing]
---
A day.
MD
commit_all "$K"

enq build "$K" --out "$T/public"
check "public build succeeds" test "$rc" -eq 0
for word in secret-draft DRAFTTITLE DRAFTBODY staff-only INTERNALTITLE INTERNALBODY; do
	check "public build has no trace of $word" lacks "$word" "$T/public"
done
check "a reference to a draft is dropped, not an error" has "case-studies/talk-for-writing/" "$T/public/dissemination/day/index.html"

enq build "$K" --out "$T/drafts" --drafts
check "--drafts includes the draft" has DRAFTBODY "$T/drafts/case-studies/secret-draft/index.html"
check "--drafts still leaves out internal" lacks INTERNALBODY "$T/drafts"

enq build "$K" --out "$T/internal" --profile internal
check "--profile internal includes internal" has INTERNALBODY "$T/internal/case-studies/staff-only/index.html"
check "--profile internal leaves out drafts" lacks DRAFTBODY "$T/internal"

done_testing
