-- claims: the claims mapping, bundled with enquire (see enquire-lua(7)).
--
-- For every claim of every claim set it counts the case studies where
-- the claim is a strong element or supporting, the enquiries,
-- dissemination and evidence records linked to it, the alliances that
-- worked on it, and the claims most often declared with it in the same
-- case study. Templates get this as claim.data and site.data.claims.
--
-- In `enquire check` and `build` it warns authors about
--   * a claim declared strong that no evidence entry of the document
--     links to;
--   * a case study whose text cites "claim 3" (or "pedagogy-3") that its
--     front matter does not list;
--   * a claim from another framework than the case study's theme (a
--     note: allowed, but worth a second look);
--   * claims no case study covers yet (one line for the site).
--
-- Commands:
--   enquire claims suggest [--root ROOT] FILE...   claims a text supports
--   enquire claims report [ROOT] [--tsv]           claims x evidence table

local THEME_NUMBER = { pedagogy = 1, ["professional-development"] = 2,
	leadership = 3 }
local COMBINED_SHOWN = 5

local function claim_url(c) return "claims/" .. c.id .. "/" end

-- Sorts ranked entries { score, order } best first; ties keep site order,
-- so the output is the same every run.
local function sort_ranked(list)
	table.sort(list, function(a, b)
		if a.score ~= b.score then return a.score > b.score end
		return a.order < b.order
	end)
end

-- Per claim: how many case studies, enquiries, dissemination and
-- evidence records bear on it, with which claims and alliances (counted
-- in C by site:claim_counts, which makes no table per document). Returns
-- a table claim -> counts, and the number of case studies.
local function analyse(site)
	return site:claim_counts(), #site.case_studies
end

-- Claims declared with c, most often first (then in site order).
local function combined(site, s)
	local list = {}
	for i, c in ipairs(site.claims) do
		if s.with[c] then
			list[#list + 1] = { claim = c, score = s.with[c], order = i }
		end
	end
	sort_ranked(list)
	return list
end

local function publish(site, stats, total)
	local uncovered = {}
	for _, c in ipairs(site.claims) do
		local s = stats[c]
		local n = s.strong + s.supporting
		local with = {}
		for i, w in ipairs(combined(site, s)) do
			if i > COMBINED_SHOWN then break end
			with[i] = { id = w.claim.id, number = w.claim.number,
				title = w.claim.title, url = claim_url(w.claim),
				set_short_title = w.claim.set.short_title, count = w.score,
				one = w.score == 1 }
		end
		local alliances = {}
		for _, al in ipairs(site.alliances) do
			if s.alliances[al] then
				alliances[#alliances + 1] = { name = al.name, url = al.url,
					count = s.alliances[al] }
			end
		end
		c.data = {
			nstrong = s.strong, nsupporting = s.supporting,
			ncase_studies = n, nenquiries = s.enquiries,
			ndissemination = s.dissemination, nevidence = s.evidence,
			coverage_percent = total > 0 and math.floor(100 * n / total + 0.5) or 0,
			combined_with = with, alliances = alliances,
		}
		if n == 0 then uncovered[#uncovered + 1] = c end
	end
	local ids = {}
	for i, c in ipairs(uncovered) do
		ids[i] = { id = c.id, title = c.title, url = claim_url(c) }
	end
	site.data.claims = { case_studies = total, uncovered = ids,
		covered = #site.claims - #uncovered, total = #site.claims }
	return uncovered
end

-- ---- warnings for authors

-- The claim set a bare "claim 3" means: the set named just before it
-- ("pedagogy claim 3", "CPD claim 3"), else the set of d's theme.
local function set_for(site, d, before)
	local word = before:lower():match("([%w%-]+)%s+$")
	for _, set in ipairs(site.claim_sets) do
		if word and (word == set.id or (set.short_title and
			word == set.short_title:lower():match("(%w+)$"))) then
			return set
		end
	end
	local theme = THEME_NUMBER[d.theme or ""]
	for _, set in ipairs(site.claim_sets) do
		if theme and set.theme == theme then return set end
	end
end

local function claim_numbered(set, n)
	for _, c in ipairs(set.claims) do
		if c.number == n then return c end
	end
end

-- The words cited() looks for: "claim", then each set's id.
local WORDS

-- The claims d's text cites: a list of {claim=, pos=, as=}, or nil.
-- doc:numbered (in C, no copy of the text) finds "claim 3", "claims 2
-- and 4" and "pedagogy-3"; it returns nil for the many documents that
-- cite nothing.
local function cited(site, d)
	local hits = d:numbered(table.unpack(WORDS))
	if not hits then return nil end
	local found = {}
	for _, h in ipairs(hits) do
		if h.word == 1 then
			local set = set_for(site, d, h.before and (h.before .. " ") or "")
			for _, n in ipairs(h.numbers) do
				local c = set and claim_numbered(set, n)
				if c then
					found[#found + 1] = { claim = c, pos = h.pos,
						as = h.match .. " " .. n }
				end
			end
		elseif h.sep == "-" then
			local set = site.claim_sets[h.word - 1]
			local n = h.numbers[1]
			local c = claim_numbered(set, n)
			if c then
				found[#found + 1] = { claim = c, pos = h.pos, as = set.id .. "-" .. n }
			end
		end
	end
	return found
end

local function declares(d, c)
	for _, r in ipairs(d.claims) do
		if r.claim == c then return true end
	end
	return false
end

-- Allocates nothing for a document without problems: it runs on every
-- document of every build.
local function check_document(site, d)
	for _, r in ipairs(d.claims) do
		if r.strength == "strong" and not r.evidenced then
			diagnostic(d, "warning", string.format("claim '%s' is declared "
				.. "strong but no evidence entry links to it", r.id), r.line)
		end
	end

	if d.kind ~= "case-study" then return end

	-- cited in the text but not declared (once per claim)
	local found = cited(site, d)
	if found then
		local told = {}
		for _, f in ipairs(found) do
			if not told[f.claim] and not declares(d, f.claim) then
				told[f.claim] = true
				diagnostic(d, "warning", string.format("the text cites '%s' "
					.. "(%s) but the front matter does not list it in claims",
					f.as, f.claim.id), d:line_at(f.pos))
			end
		end
	end

	-- another framework than the theme's
	local theme = THEME_NUMBER[d.theme or ""]
	for _, r in ipairs(d.claims) do
		local st = r.claim.set.theme
		if theme and st and st ~= theme then
			diagnostic(d, "note", string.format("claim '%s' is from the "
				.. "'%s' framework (theme %d) and this case study's theme "
				.. "is %s: allowed, but check it is the claim you mean",
				r.id, r.claim.set.id, st, d.theme), r.line)
		end
	end
end

function on_load(site)
	WORDS = { "claim" }
	for _, set in ipairs(site.claim_sets) do WORDS[#WORDS + 1] = set.id end
	local stats, total = analyse(site)
	local uncovered = publish(site, stats, total)
	for _, kind in ipairs({ "case_studies", "enquiries" }) do
		for _, d in ipairs(site[kind]) do check_document(site, d) end
	end
	if #uncovered > 0 then
		local ids = {}
		for i, c in ipairs(uncovered) do ids[i] = c.id end
		diagnostic(nil, "warning", string.format("%d claim%s no case study "
			.. "covers yet: %s", #uncovered, #uncovered == 1 and "" or "s",
			table.concat(ids, ", ")))
	end
end

-- ---- enquire claims suggest: BM25 with claims as the documents

local K1, B, K3 = 1.2, 0.75, 1.2
local FIELD_WEIGHT = { keywords = 3, title = 2, summary = 1 }
local PHRASE_WEIGHT = 1.0
local SUGGESTED = 5

local function add_counts(into, text, weight)
	local counts = enquire.term_counts(text or "")
	for t, n in pairs(counts) do into[t] = (into[t] or 0) + n * weight end
end

-- Each claim as a weighted bag of stemmed terms (BM25F-style field
-- weights), with the collection statistics BM25 needs.
local function claim_index(site)
	local idx = { claims = {}, df = {}, n = 0, avglen = 0 }
	for _, c in ipairs(site.claims) do
		local tf = {}
		add_counts(tf, c.title, FIELD_WEIGHT.title)
		add_counts(tf, c.summary, FIELD_WEIGHT.summary)
		local phrases = {}
		for _, k in ipairs(c.keywords) do
			add_counts(tf, k, FIELD_WEIGHT.keywords)
			if #enquire.terms(k) > 1 then phrases[#phrases + 1] = k end
		end
		local len = 0
		for t, n in pairs(tf) do
			len = len + n
			idx.df[t] = (idx.df[t] or 0) + 1
		end
		idx.claims[#idx.claims + 1] = { claim = c, tf = tf, len = len,
			phrases = phrases }
		idx.n = idx.n + 1
		idx.avglen = idx.avglen + len
	end
	idx.avglen = idx.n > 0 and idx.avglen / idx.n or 1
	return idx
end

local function idf(idx, t)
	local df = idx.df[t] or 0
	return math.log(1 + (idx.n - df + 0.5) / (df + 0.5))
end

local function saturate(n) return (K3 + 1) * n / (K3 + n) end

local function score(idx, entry, query, text)
	local s = 0
	local norm = K1 * (1 - B + B * entry.len / idx.avglen)
	for t, f in pairs(entry.tf) do
		local q = query[t]
		if q then
			s = s + idf(idx, t) * f * (K1 + 1) / (f + norm) * saturate(q)
		end
	end
	if #entry.phrases > 0 then
		local counts = enquire.phrases(text, entry.phrases)
		for i, k in ipairs(entry.phrases) do
			if counts[i] > 0 then
				local w = 0
				for _, t in ipairs(enquire.terms(k)) do w = w + idf(idx, t) end
				s = s + PHRASE_WEIGHT * w * saturate(counts[i])
			end
		end
	end
	return s
end

-- What a file says about itself: its title, questions and focus from
-- the front matter (never its claims, which are what we guess) and the
-- body.
local function suggest_text(raw)
	local front, body = raw:match("^%-%-%-\r?\n(.-\n)%-%-%-\r?\n(.*)$")
	if not front then return raw end
	local parts, in_list = {}, false
	for line in front:gmatch("([^\n]*)\n") do
		local key, val = line:match("^([%w_]+):%s*(.*)$")
		if key then
			in_list = key == "research_questions"
			if key == "title" or key == "focus" or key == "question" then
				parts[#parts + 1] = val
				in_list = key == "focus" -- a folded block follows
			end
		elseif in_list then
			parts[#parts + 1] = line:gsub("^%s*%-?%s*", "")
		end
	end
	parts[#parts + 1] = body
	return table.concat(parts, "\n")
end

local function suggest(args)
	local root, files = ".", {}
	local i = 1
	while i <= #args do
		if args[i] == "--root" then
			root = args[i + 1]
			i = i + 1
		else
			files[#files + 1] = args[i]
		end
		i = i + 1
	end
	if #files == 0 or not root then
		enquire.eprint("usage: enquire claims suggest [--root ROOT] FILE...")
		return 2
	end
	local site, err = enquire.open(root)
	if not site then
		enquire.eprint("enquire: error: " .. err)
		return 1
	end
	local idx = claim_index(site)
	local status = 0
	for _, file in ipairs(files) do
		local raw, rerr = enquire.read_file(file)
		if not raw then
			diagnostic(file, "error", rerr)
			status = 1
		else
			local text = suggest_text(raw)
			local query = enquire.term_counts(text)
			local ranked = {}
			for order, entry in ipairs(idx.claims) do
				local s = score(idx, entry, query, text)
				if s > 0 then
					ranked[#ranked + 1] = { id = entry.claim.id, score = s, order = order }
				end
			end
			sort_ranked(ranked)
			for k = 1, math.min(SUGGESTED, #ranked) do
				print(string.format("%s\t%s\t%.3f", file, ranked[k].id, ranked[k].score))
			end
		end
	end
	return status
end

-- ---- enquire claims report: a table for R&D leads

local function report(args)
	local root, tsv = ".", false
	for _, a in ipairs(args) do
		if a == "--tsv" then tsv = true
		elseif a:sub(1, 1) ~= "-" then root = a end
	end
	local site, err = enquire.open(root)
	if not site then
		enquire.eprint("enquire: error: " .. err)
		return 1
	end
	local stats, total = analyse(site)
	if tsv then
		print("claim\tstrong\tsupporting\tenquiries\tdissemination\tevidence\tcombined_with")
		for _, c in ipairs(site.claims) do
			local s = stats[c]
			local with = {}
			for _, w in ipairs(combined(site, s)) do
				with[#with + 1] = w.claim.id .. ":" .. w.score
			end
			print(string.format("%s\t%d\t%d\t%d\t%d\t%d\t%s", c.id, s.strong,
				s.supporting, s.enquiries, s.dissemination, s.evidence,
				table.concat(with, ",")))
		end
		return 0
	end
	local width = 5
	for _, c in ipairs(site.claims) do width = math.max(width, #c.id) end
	local head = "%-" .. width .. "s %6s %10s %9s %8s  %s"
	print(string.format(head, "claim", "strong", "supporting", "enquiries",
		"evidence", "title"))
	local set
	for _, c in ipairs(site.claims) do
		if c.set ~= set then
			set = c.set
			print(string.format("-- %s (%s)", set.title or set.id, set.id))
		end
		local s = stats[c]
		local title = c.title
		if utf8.len(title) and utf8.len(title) > 60 then
			title = title:sub(1, utf8.offset(title, 58) - 1) .. "..."
		end
		print(string.format("%-" .. width .. "s %6d %10d %9d %8d  %s", c.id,
			s.strong, s.supporting, s.enquiries, s.evidence, title))
	end
	print(string.format("%d case studies; strong and supporting count case "
		.. "studies, evidence counts impact records of case studies and "
		.. "enquiries", total))
	return 0
end

command("claims", function(args)
	local sub = table.remove(args, 1)
	if sub == "suggest" then return suggest(args) end
	if sub == "report" then return report(args) end
	enquire.eprint("usage: enquire claims suggest [--root ROOT] FILE...\n"
		.. "       enquire claims report [ROOT] [--tsv]")
	return 2
end)
