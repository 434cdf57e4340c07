# enquire reads content from a commit through libgit2: not from the disk,
# any ref, bare repositories; --worktree reads the disk instead.
. tests/e2e/lib/common.sh
. tests/e2e/lib/minimal.sh

R="$T/repo"
new_repo "$R"
minimal_kb "$R/kb"
commit_all "$R" "first"
page=case-studies/talk-for-writing/index.html

enq build "$R/kb" --out "$T/s1"
check "builds a subfolder of a repository" test "$rc" -eq 0
check "page has the committed text" has COMMITTED-TEXT "$T/s1/$page"

# Uncommitted edits are not published unless --worktree.
sed -i 's/COMMITTED-TEXT/EDITED-TEXT/' "$R/kb/case-studies/talk-for-writing.md"
case_study "$R/kb" untracked-study "Untracked study" "UNTRACKED"
enq build "$R/kb" --out "$T/s2"
check "commit build ignores worktree edits" has COMMITTED-TEXT "$T/s2/$page"
check "commit build ignores untracked files" test ! -e "$T/s2/case-studies/untracked-study"
enq build "$R/kb" --out "$T/s3" --worktree
check "--worktree reads edits" has EDITED-TEXT "$T/s3/$page"
check "--worktree reads untracked files" test -s "$T/s3/case-studies/untracked-study/index.html"

# Branches, tags and commit ids.
git -C "$R" checkout -q -- . && rm -f "$R/kb/case-studies/untracked-study.md"
git -C "$R" tag v1
first=$(git -C "$R" rev-parse HEAD)
git -C "$R" checkout -q -b feature
sed -i 's/COMMITTED-TEXT/BRANCH-TEXT/' "$R/kb/case-studies/talk-for-writing.md"
commit_all "$R" "branch change"
git -C "$R" checkout -q main
enq build "$R/kb" --out "$T/s4" --ref feature
check "--ref feature reads the branch" has BRANCH-TEXT "$T/s4/$page"
enq build "$R/kb" --out "$T/s5" --ref v1
check "--ref v1 reads the tag" has COMMITTED-TEXT "$T/s5/$page"
enq build "$R/kb" --out "$T/s6" --ref "$first"
check "--ref <commit id> reads that commit" has COMMITTED-TEXT "$T/s6/$page"
enq build "$R/kb" --out "$T/s7" --ref no-such-branch
check "an unknown ref fails" test "$rc" -ne 0
check "an unknown ref is named" has "no-such-branch" "$T/out.txt"
check "a failed build writes no site" test ! -e "$T/s7"

# A bare clone has no work tree: the commit is all there is; its content
# root is the top of the tree.
new_repo "$T/flat"
minimal_kb "$T/flat"
commit_all "$T/flat" "flat"
git clone -q --bare "$T/flat" "$T/flat.git"
enq build "$T/flat.git" --out "$T/s9"
check "builds from a bare repository" test "$rc" -eq 0
check "bare build has the page" has COMMITTED-TEXT "$T/s9/$page"

# Symlinks in the tree are skipped with a warning, never followed.
ln -s /etc/passwd "$T/flat/static/passwd"
commit_all "$T/flat" "symlink"
enq build "$T/flat" --out "$T/s10"
check "a symlink does not stop the build" test "$rc" -eq 0
check "a symlink is reported" has "symlink" "$T/out.txt"
check "a symlink is not followed" test ! -e "$T/s10/passwd"

# Outside any repository: builds from disk, with a warning.
mkdir "$T/plain"
minimal_kb "$T/plain"
enq build "$T/plain" --out "$T/s11"
check "a folder outside git builds" test "$rc" -eq 0
check "a folder outside git warns" has "not in a git repository" "$T/out.txt"

# An empty repository has nothing to read from a commit.
new_repo "$T/empty"
minimal_kb "$T/empty"
enq build "$T/empty" --out "$T/s12"
check "an empty repository fails without --worktree" test "$rc" -ne 0
enq build "$T/empty" --out "$T/s12" --worktree
check "an empty repository builds with --worktree" test "$rc" -eq 0

done_testing
