# Lua plugins: hooks in order, pages and data reaching templates, errors
# with file and line, the sandbox and its limits, plugin commands.
. tests/e2e/lib/common.sh
. tests/e2e/lib/minimal.sh

K="$T/kb"
mkdir "$K"
minimal_kb "$K"
mkdir -p "$K/plugins" "$K/themes/default/templates"

# plugin NAME CODE: writes plugins/NAME.lua and lists only it.
plugin() {
	printf '%s\n' "$2" >"$K/plugins/$1.lua"
	sed -i '/^plugins:/d' "$K/site.yaml"
	echo "plugins: [$1]" >>"$K/site.yaml"
}

# Hooks in order, for two plugins: top levels, on_load, on_document, on_pages.
for p in a b; do
	cat >"$K/plugins/$p.lua" <<LUA
diagnostic(nil, "note", "$p top")
function on_load(site) diagnostic(nil, "note", "$p on_load " .. #site.case_studies) end
function on_document(doc) diagnostic(nil, "note", "$p on_document " .. doc.slug) end
function on_pages(site) diagnostic(nil, "note", "$p on_pages") end
LUA
done
echo "plugins: [a, b]" >>"$K/site.yaml"
enq check "$K"
grep '^site.yaml: note: ' "$T/out.txt" | sed 's/.*note: //; s/ \[.*//' | tr '\n' '|' >"$T/order"
check "hooks run in order, each for every plugin in list order" test "$(cat "$T/order")" = \
"a top|b top|a on_load 1|b on_load 1|a on_document talk-for-writing|b on_document talk-for-writing|a on_pages|b on_pages|"
rm "$K/plugins/a.lua" "$K/plugins/b.lua"

# A page and data that reach the templates.
plugin pages '
function on_document(doc) doc.data = { reading = "7 min" } end
function on_load(site)
	site.claim_by_id["pedagogy-1"].data = { flag = "from-claim-data" }
	site.data.network = "North"
end
function on_pages(site)
	site:add_page{ url = "report/", template = "report", title = "Claims report",
		data = { items = { { name = "first" }, { name = "second" } } } }
	site:add_page{ url = "report.json", template = "report" }
end'
cat >"$K/themes/default/templates/report.mustache" <<'M'
<h1>{{page.title}}</h1>{{#data.has_items}}<ul>{{#data.items}}<li>{{name}}</li>{{/data.items}}</ul>{{/data.has_items}}<p>{{site.data.network}}</p>
M
cp themes/default/templates/case-study.mustache "$K/themes/default/templates/"
echo '<p class="t">{{doc.data.reading}}</p>' >>"$K/themes/default/templates/case-study.mustache"
cp themes/default/templates/claim.mustache "$K/themes/default/templates/"
echo '<p class="t">{{claim.data.flag}}</p>' >>"$K/themes/default/templates/claim.mustache"
enq build "$K" --out "$T/site" --worktree
check "a plugin's page is built" has '<li>first</li><li>second</li>' "$T/site/report/index.html"
check "the page has its title and site.data" has '<h1>Claims report</h1>.*<p>North</p>' "$T/site/report/index.html"
check "doc.data reaches the document's page" has '<p class="t">7 min</p>' "$T/site/case-studies/talk-for-writing/index.html"
check "claim.data reaches the claim's page" has '<p class="t">from-claim-data</p>' "$T/site/claims/pedagogy-1/index.html"
check "the plugin page is in the sitemap" has 'report/' "$T/site/sitemap.xml"
check "a plugin's report.json is built" test -s "$T/site/report.json"
check "but is not in the sitemap (not a web page)" lacks 'report.json' "$T/site/sitemap.xml"
rm -r "$K/themes"

# expect NAME PATTERN: check --worktree fails with PATTERN, never a crash.
expect() {
	enq check "$K" --worktree
	if [ "$rc" -eq 1 ] && grep -qE -- "$2" "$T/out.txt"; then ok "$1"
	else fail "$1 (rc=$rc)"; sed 's/^/# /' "$T/out.txt"; fi
}
plugin err 'function on_load(site)
	local t = nil
	return t.field
end'
expect "a Lua error names the plugin's file and line" "^plugins/err.lua:3: error: attempt to index a nil value"
check "with a traceback" has "in function 'on_load'" "$T/out.txt"

plugin syntax 'function on_load(site)
	if then
end'
expect "a syntax error names file and line" "^plugins/syntax.lua:2: error: .*near 'then'"

plugin loop 'function on_load(site)
	while true do end
end'
ENQUIRE_PLUGIN_INSTRUCTIONS=20000000 enq check "$K" --worktree
check "an endless loop is stopped by the instruction limit, at its line" \
	grep -q "^plugins/loop.lua:2: error: instruction limit exceeded" "$T/out.txt"
start=$(date +%s)
expect "the default instruction limit stops it too" "^plugins/loop.lua:2: error: instruction limit"
check "within seconds" test $(($(date +%s) - start)) -lt 30

plugin hog 'function on_load(site)
	local t = {}
	for i = 1, 1e9 do t[i] = ("x"):rep(100) .. i end
end'
ENQUIRE_PLUGIN_MEMORY=32 enq check "$K" --worktree
check "the memory limit stops a plugin, naming file and line" \
	grep -q "^plugins/hog.lua:3: error: memory limit exceeded (32 MB per plugin)" "$T/out.txt"
expect "the default memory limit stops it too" "^plugins/hog.lua:[0-9]*: ?error: memory limit exceeded"

plugin osx 'os.execute("touch pwned")'
expect "os.execute is refused" "^plugins/osx.lua:1: error: 'os' is not available to plugins"
plugin iox 'local f = io.open("/etc/passwd")'
expect "io.open is refused" "^plugins/iox.lua:1: error: 'io' is not available to plugins"
plugin ffi 'local ffi = require "ffi"'
expect "require is refused" "^plugins/ffi.lua:1: error: 'require' is not available to plugins"
plugin dbg 'debug.sethook()'
expect "debug is refused" "'debug' is not available to plugins"
plugin bin 'local f, err = load("\27LuaT\0")
assert(f == nil and err:find("binary"), "binary chunk loaded")
assert(rawget(_G, "dofile") == nil and rawget(_G, "loadfile") == nil and string.dump == nil)
assert(load("return 1 + 1")() == 2)
error("sandbox ok")'
expect "binary chunks, dofile and loadfile are refused; text load works" "^plugins/bin.lua:5: error: sandbox ok"
plugin badpage 'function on_pages(site)
	site:add_page{ url = "case-studies/talk-for-writing/", template = "page" }
end'
enq build "$K" --worktree --out "$T/site2"
check "a page over one of the site's is refused" grep -q "page 'case-studies/talk-for-writing/' is already a page" "$T/out.txt"
check "and nothing is built" test ! -e "$T/site2"
plugin notmpl 'function on_pages(site) site:add_page{ url = "r/", template = "nosuch" } end'
enq build "$K" --worktree --out "$T/site3"
check "a page naming a missing template fails at plan time, naming the plugin" \
	grep -q "^plugins/notmpl.lua: error: page 'r/' names template 'nosuch', which the theme does not have" "$T/out.txt"
check "and nothing is built" test ! -e "$T/site3"
plugin dotdot 'function on_pages(site) site:add_page{ url = "../x/", template = "page" } end'
expect "a page outside the site is refused" "bad page url '../x/'"
plugin fn 'function on_load(site) site.data.f = print end'
expect "data that templates cannot show is an error" "data cannot hold a function value"
plugin ahem 'function on_load(site) diagnostic(site.case_studies[1], "error", "no good", 9) end'
expect "diagnostic() reports at the document's path and line" "^case-studies/talk-for-writing.md:9: error: no good \[ahem\]"

sed -i '/^plugins:/d' "$K/site.yaml"
echo "plugins: [missing]" >>"$K/site.yaml"
expect "an unknown plugin is an error" "site.yaml: error: unknown plugin 'missing'"
sed -i '/^plugins:/d' "$K/site.yaml"
enq check "$K" --worktree
check "a plugin file the site does not list is a warning" grep -q "^plugins/ahem.lua: warning: plugin not listed" "$T/out.txt"

# Commands.
rm -f "$K"/plugins/*.lua
plugin hello 'command("hello", function(args)
	local site = enquire.open()
	print("hello " .. args[1] .. " from " .. site.title)
	local ok, err = pcall(enquire.read_file, "/etc/passwd")
	print(ok and "read" or "refused")
	return 3
end)'
(cd "$K" && $ENQUIRE_WRAP "$ENQUIRE" hello world) >"$T/out.txt" 2>&1
rc=$?
check "a plugin command runs with its arguments" has "^hello world from Test Alliance Network" "$T/out.txt"
check "it reads only files named on the command line" has "^refused" "$T/out.txt"
check "its return value is the exit status" test "$rc" -eq 3
enq nosuchcommand
check "an unknown command is still a usage error" test "$rc" -eq 2
check "and says so" has "unknown command 'nosuchcommand'" "$T/out.txt"
check "no plugin wrote outside: no file 'pwned'" test ! -e pwned -a ! -e "$K/pwned"

done_testing
