-- reading-time: an example of a site's own plugin (see enquire-lua(7)).
--
-- Adds doc.data.reading_time to every case study and enquiry ("6 min",
-- from the word count at 200 words a minute), puts the site's total in
-- site.data.reading_time, and warns about a case study too short to
-- tell its story. Themes show it with {{doc.data.reading_time}}.

local WORDS_PER_MINUTE = 200
local SHORTEST = 150 -- words

local total = 0

function on_document(doc)
	if doc.kind ~= "case-study" and doc.kind ~= "enquiry" then return end
	local minutes = math.max(1, math.floor(doc.words / WORDS_PER_MINUTE + 0.5))
	doc.data = { reading_time = minutes .. " min", words = doc.words }
	total = total + minutes
	if doc.kind == "case-study" and doc.words < SHORTEST then
		diagnostic(doc, "warning", string.format("only %d words: a case "
			.. "study usually needs more to describe its C2L phases",
			doc.words), doc.body_line)
	end
end

function on_pages(site)
	site.data.reading_time = { total_minutes = total }
end
