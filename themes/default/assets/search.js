/*
 * search.js: the search page's client for enquire's static index (format:
 * docs/search.md). Plain JavaScript, no dependencies. A query downloads
 * the manifest, the word shards of its words, the posting shards of their
 * stems and the fragments of the results shown; a facet's list of values
 * loads only when it is small, ticked, or opened by the reader.
 *
 * Query words are cut and folded as generator/text.c does: runs of
 * letters, digits and combining marks; an apostrophe between two letters
 * is dropped ("don't" = "dont"); NFKD with the marks removed, lower case
 * ("Café" = "cafe"). The index maps each folded word to its stem, so the
 * client needs no stemmer: "teachers" finds "teacher" because the index
 * says both are "teacher".
 *
 * Matching: every word must match (in any field); the last word also
 * matches as a prefix while typing ("less" finds "lesson"); a word of five
 * letters or more that is not in the index matches words one edit away
 * ("lesosn"); a "quoted phrase" must appear with its words adjacent
 * (stop words between them are ignored). Ranking is BM25 with the weights
 * the index stores.
 */
(function () {
	'use strict';

	var script = document.currentScript;
	var root = (script && script.getAttribute('data-root')) || '/';
	var base = root + 'search/';
	var PAGE = 10;

	/* ---- loading ---- */

	var files = new Map();

	/* The bytes of an index file; gzipped files are inflated here (unless
	 * the server already did, so look at the bytes, not the name). */
	function load(path) {
		if (!files.has(path)) {
			files.set(path, fetch(base + path).then(function (r) {
				if (!r.ok)
					throw new Error(path + ': ' + r.status);
				return r.arrayBuffer();
			}).then(function (ab) {
				var u = new Uint8Array(ab);
				if (u.length > 2 && u[0] === 0x1f && u[1] === 0x8b) {
					var s = new Blob([u]).stream().pipeThrough(
						new DecompressionStream('gzip'));
					return new Response(s).arrayBuffer().then(function (x) {
						return new Uint8Array(x);
					});
				}
				return u;
			}));
		}
		return files.get(path);
	}

	var utf8 = new TextDecoder();
	var enc = new TextEncoder();

	function Reader(u) {
		this.u = u;
		this.i = 0;
	}
	Reader.prototype.v = function () {
		var r = 0, s = 1, b;
		do {
			b = this.u[this.i++];
			r += (b & 127) * s;
			s *= 128;
		} while (b & 128);
		return r;
	};
	Reader.prototype.bytes = function () {
		var n = this.v();
		var b = this.u.subarray(this.i, this.i + n);
		this.i += n;
		return b;
	};
	Reader.prototype.str = function () {
		return utf8.decode(this.bytes());
	};
	/* A front-coded key: shares n bytes of prev (bytes), then a suffix. */
	Reader.prototype.key = function (prev) {
		var n = this.v();
		var suffix = this.bytes();
		var k = new Uint8Array(n + suffix.length);
		if (n)
			k.set(prev.subarray(0, n));
		k.set(suffix, n);
		return k;
	};

	var manifest = null;
	function getManifest() {
		if (!manifest)
			manifest = load('manifest.json').then(function (u) {
				return JSON.parse(utf8.decode(u));
			});
		return manifest;
	}

	/* File i of a numbered set (postings, pairs, fragments, facets): the
	 * set is split into folders of `per` files, each named by a hash of
	 * its files (docs/search.md). */
	function setFile(set, i) {
		return set.dirs[Math.floor(i / set.per)] + i + '.bin';
	}

	/* Compares strings by code point (the index sorts by UTF-8 bytes). */
	function cmp(a, b) {
		var i = 0, j = 0;
		while (i < a.length && j < b.length) {
			var x = a.codePointAt(i), y = b.codePointAt(j);
			if (x !== y)
				return x < y ? -1 : 1;
			i += x > 0xffff ? 2 : 1;
			j += y > 0xffff ? 2 : 1;
		}
		return (a.length - i) - (b.length - j) < 0 ? -1 :
			(a.length - i) === (b.length - j) ? 0 : 1;
	}

	/* ---- the tokenizer (generator/text.c) ---- */

	var WORD = /[\p{L}\p{N}\p{M}]+(?:['\u2019][\p{L}\p{N}\p{M}]+)*/gu;

	function fold(w) {
		w = w.normalize('NFKD').replace(/\p{M}/gu, '').replace(/['\u2019]/g, '')
			.toLowerCase();
		/* full case folding differs from lower case in a few letters */
		return w.replace(/\u00df/g, 'ss').replace(/\u03c2/g, '\u03c3')
			.replace(/\u017f/g, 's').normalize('NFKD').replace(/\p{M}/gu, '');
	}

	/* [{word, start, end}] of a text, folded; over-long words skipped. */
	function tokens(text) {
		var out = [], m;
		WORD.lastIndex = 0;
		while ((m = WORD.exec(text))) {
			var w = fold(m[0]);
			if (w && enc.encode(w).length <= 64)
				out.push({ word: w, start: m.index, end: m.index + m[0].length });
		}
		return out;
	}

	/* ---- word shards: folded word -> stem, postings shard ---- */

	function wordShardOf(m, word) {
		var lo = 0, hi = m.words.length - 1;
		while (lo < hi) {
			var mid = (lo + hi + 1) >> 1;
			if (cmp(m.words[mid][0], word) <= 0)
				lo = mid;
			else
				hi = mid - 1;
		}
		return lo;
	}

	var wordShards = new Map();
	function loadWords(m, i) {
		if (!wordShards.has(i))
			wordShards.set(i, load(m.words[i][1]).then(function (u) {
				var r = new Reader(u), n = r.v(), prev = new Uint8Array(0);
				var list = [];
				for (var k = 0; k < n; k++) {
					var key = r.key(prev);
					prev = key;
					var flags = r.u[r.i++];
					var e = { word: utf8.decode(key), freq: flags >> 1,
						stop: (flags & 1) === 1, stem: null, shard: -1 };
					if (!e.stop) {
						e.stem = utf8.decode(r.key(key));
						e.shard = r.v();
					}
					list.push(e);
				}
				return list;
			}));
		return wordShards.get(i);
	}

	function find(list, word) {
		var lo = 0, hi = list.length;
		while (lo < hi) {
			var mid = (lo + hi) >> 1;
			if (cmp(list[mid].word, word) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		return lo;
	}

	/* Is b at most one edit (insert, delete, change, swap) from a? */
	function near(a, b) {
		var la = a.length, lb = b.length;
		if (a === b || Math.abs(la - lb) > 1)
			return a === b;
		var i = 0;
		while (i < la && i < lb && a[i] === b[i])
			i++;
		if (la === lb)
			return a.slice(i + 1) === b.slice(i + 1) ||
				(a[i] === b[i + 1] && a[i + 1] === b[i] &&
					a.slice(i + 2) === b.slice(i + 2));
		return la > lb ? a.slice(i + 1) === b.slice(i) :
			a.slice(i) === b.slice(i + 1);
	}

	/* What a query word matches: [{stem, shard, weight}], [] when nothing,
	 * or null for a stop word. */
	function resolve(m, word, prefix) {
		var si = wordShardOf(m, word);
		return loadWords(m, si).then(function (list) {
			var i = find(list, word);
			var exact = i < list.length && list[i].word === word ? list[i] : null;
			if (exact && exact.stop)
				return null;
			var alts = [];
			var seen = new Set();
			function add(e, weight) {
				if (e.stop || seen.has(e.stem))
					return;
				seen.add(e.stem);
				alts.push({ stem: e.stem, shard: e.shard, weight: weight });
			}
			if (exact)
				add(exact, 1);
			if (prefix && word.length >= 3) {
				var more = [];
				for (var k = exact ? i + 1 : i; k < list.length &&
					list[k].word.startsWith(word); k++)
					more.push(list[k]);
				more.sort(function (a, b) { return b.freq - a.freq; });
				more.slice(0, 3).forEach(function (e) { add(e, 0.5); });
			}
			if (!exact && word.length >= 5) {
				var typos = list.filter(function (e) { return near(word, e.word); });
				typos.sort(function (a, b) { return b.freq - a.freq; });
				typos.slice(0, 3).forEach(function (e) { add(e, 0.7); });
			}
			return alts;
		});
	}

	/* ---- postings: stem -> documents with BM25 weights ---- */

	var postShards = new Map();
	function loadPostings(m, i) {
		if (!postShards.has(i))
			postShards.set(i, load(setFile(m.postings, i)).then(function (u) {
				var r = new Reader(u), n = r.v(), prev = new Uint8Array(0);
				var terms = new Map();
				for (var k = 0; k < n; k++) {
					var key = r.key(prev);
					prev = key;
					var df = r.v(), docs = new Uint32Array(df), d = 0;
					for (var j = 0; j < df; j++) {
						d = j ? d + r.v() : r.v();
						docs[j] = d;
					}
					var imp = r.u.subarray(r.i, r.i + df);
					r.i += df;
					terms.set(utf8.decode(key), { docs: docs, imp: imp });
				}
				return terms;
			}));
		return postShards.get(i);
	}

	/* ---- phrases: adjacent stem pairs ---- */

	function stemHash(s) {
		var b = enc.encode(s), h = 2166136261;
		for (var i = 0; i < b.length; i++)
			h = Math.imul(h ^ b[i], 16777619) >>> 0;
		return h;
	}

	function pairHash(a, b) {
		var h = (Math.imul(a, 0x9e3779b1) + b) >>> 0;
		h ^= h >>> 16;
		h = Math.imul(h, 0x85ebca6b) >>> 0;
		h ^= h >>> 13;
		h = Math.imul(h, 0xc2b2ae35) >>> 0;
		h ^= h >>> 16;
		return h >>> 0;
	}

	var pairShards = new Map();
	function pairDocs(m, a, b) {
		var bucket = pairHash(stemHash(a), stemHash(b)) >>> (32 - m.pairBits);
		var shift = m.pairBits - m.pairShardBits;
		var shard = bucket >>> shift;
		if (!pairShards.has(shard))
			pairShards.set(shard, load(setFile(m.pairs, shard)).then(function (u) {
				var r = new Reader(u), n = r.v(), at = shard << shift;
				var buckets = new Map();
				for (var k = 0; k < n; k++) {
					at += r.v();
					var c = r.v(), docs = new Set(), d = 0;
					for (var j = 0; j < c; j++) {
						d = j ? d + r.v() : r.v();
						docs.add(d);
					}
					buckets.set(at, docs);
				}
				return buckets;
			}));
		return pairShards.get(shard).then(function (buckets) {
			return buckets.get(bucket) || new Set();
		});
	}

	/* ---- facets ---- */

	var facetFiles = new Map();
	function loadFacet(m, i) {
		if (!facetFiles.has(i))
			facetFiles.set(i, load(setFile(m.facets, i)).then(function (u) {
				var r = new Reader(u), n = r.v(), values = [];
				for (var k = 0; k < n; k++) {
					var key = r.str(), label = r.str(), c = r.v();
					var docs = new Uint32Array(c), d = 0;
					for (var j = 0; j < c; j++) {
						d = j ? d + r.v() : r.v();
						docs[j] = d;
					}
					values.push({ key: key, label: label, docs: docs });
				}
				return values;
			}));
		return facetFiles.get(i);
	}

	var FACET_LABELS = { type: 'Type', claim: 'Claim', theme: 'Theme',
		phase: 'School phase', subject: 'Subject', key_stage: 'Key stage',
		alliance: 'Alliance', c2l: 'C2L phase' };

	/* ---- the query ---- */

	/* Splits a query into words and "phrases". */
	function parse(q) {
		var parts = [], re = /"([^"]*)"?|[^"]+/g, m;
		while ((m = re.exec(q))) {
			if (m[1] !== undefined)
				parts.push({ phrase: true, words: tokens(m[1]).map(function (t) {
					return t.word; }) });
			else
				tokens(m[0]).forEach(function (t) {
					parts.push({ phrase: false, words: [t.word] });
				});
		}
		var last = parts[parts.length - 1];
		var open = /[\p{L}\p{N}\p{M}]$/u.test(q);
		if (last && !last.phrase && open)
			last.prefix = true;
		return parts.filter(function (p) { return p.words.length; });
	}

	/* Runs a query: resolves to {docs: [{doc, score}], words: [...]}. */
	function run(q) {
		return getManifest().then(function (m) {
			var parts = parse(q);
			var groups = [], phrases = [];
			parts.forEach(function (p) {
				p.words.forEach(function (w) {
					groups.push(resolve(m, w, p.prefix && !p.phrase));
				});
				if (p.phrase && p.words.length > 1)
					phrases.push(p.words);
			});
			return Promise.all(groups).then(function (alts) {
				var live = alts.filter(function (a) { return a !== null; });
				if (!live.length || live.every(function (a) { return !a.length; }))
					return { m: m, docs: [], empty: !live.length };
				return score(m, live, phrases);
			});
		});
	}

	function idf(m, df) {
		return Math.log(1 + (m.docs - df + 0.5) / (df + 0.5));
	}

	function score(m, groups, phrases) {
		var need = [];
		groups.forEach(function (g) {
			g.forEach(function (a) { need.push(loadPostings(m, a.shard)); });
		});
		return Promise.all(need).then(function () {
			return Promise.all(groups.map(function (g) {
				return Promise.all(g.map(function (a) {
					return loadPostings(m, a.shard).then(function (t) {
						return { a: a, p: t.get(a.stem) };
					});
				}));
			}));
		}).then(function (resolved) {
			/* Arrays by document number rather than maps: a common word
			 * lists most of the documents. */
			var n = m.docs, scale = (m.k1 + 1) / 255;
			var sum = new Float64Array(n), hits = new Uint8Array(n);
			var best = new Float64Array(n), touched = [];
			resolved.forEach(function (g) {
				/* a word's best alternative (exact, prefix or typo) counts */
				g.forEach(function (x) {
					if (!x.p)
						return;
					var w = idf(m, x.p.docs.length) * x.a.weight * scale;
					var docs = x.p.docs, imp = x.p.imp;
					for (var j = 0; j < docs.length; j++) {
						var d = docs[j], sc = w * imp[j];
						if (best[d] === 0)
							touched.push(d);
						if (sc > best[d])
							best[d] = sc;
					}
				});
				for (var k = 0; k < touched.length; k++) {
					var d = touched[k];
					sum[d] += best[d];
					hits[d]++;
					best[d] = 0;
				}
				touched.length = 0;
			});
			var all = groups.length, docs = [], partial = false;
			for (var d = 0; d < n; d++)
				if (hits[d] === all)
					docs.push({ doc: d, score: sum[d] });
			/* No document has every word: rank those with the most. */
			if (!docs.length && all > 1) {
				partial = true;
				for (d = 0; d < n; d++)
					if (hits[d])
						docs.push({ doc: d, score: hits[d] * 1e4 + sum[d] });
			}
			return phraseFilter(m, phrases, docs).then(function (kept) {
				kept.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
				return { m: m, docs: kept, partial: partial };
			});
		});
	}

	/* Keeps the documents holding every adjacent pair of each phrase. */
	function phraseFilter(m, phrases, docs) {
		if (!phrases.length)
			return Promise.resolve(docs);
		var checks = [];
		return getPhraseStems(m, phrases).then(function (lists) {
			lists.forEach(function (stems) {
				for (var k = 0; k + 1 < stems.length; k++)
					checks.push(pairDocs(m, stems[k], stems[k + 1]));
			});
			return Promise.all(checks);
		}).then(function (sets) {
			return docs.filter(function (x) {
				return sets.every(function (set) { return set.has(x.doc); });
			});
		});
	}

	/* The stems of each phrase's words, stop words left out. */
	function getPhraseStems(m, phrases) {
		return Promise.all(phrases.map(function (words) {
			return Promise.all(words.map(function (w) {
				var si = wordShardOf(m, w);
				return loadWords(m, si).then(function (list) {
					var i = find(list, w);
					var e = i < list.length && list[i].word === w ? list[i] : null;
					return e && !e.stop ? e.stem : null;
				});
			})).then(function (stems) {
				return stems.filter(function (s) { return s !== null; });
			});
		}));
	}

	/* ---- fragments ---- */

	var frags = new Map();
	function fragment(m, d) {
		if (!frags.has(d))
			frags.set(d, load(setFile(m.fragments, d)).then(function (u) {
				return JSON.parse(utf8.decode(u));
			}));
		return frags.get(d);
	}

	/* ---- the page ---- */

	var ui = {};
	/* open: the facet groups the reader opened; last: the last results */
	var state = { q: '', filters: {}, shown: PAGE, seq: 0, open: {},
		last: null };

	function el(tag, attrs, text) {
		var e = document.createElement(tag);
		if (attrs)
			Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
		if (text !== undefined)
			e.textContent = text;
		return e;
	}

	/* Appends text to parent with the query's words marked. */
	function highlight(parent, text, words) {
		var at = 0;
		tokens(text).forEach(function (t) {
			var hit = words.some(function (w) {
				return t.word === w || (w.length >= 3 && t.word.startsWith(w)) ||
					(w.length >= 4 && w.startsWith(t.word) && t.word.length >= 4);
			});
			if (!hit)
				return;
			parent.appendChild(document.createTextNode(text.slice(at, t.start)));
			parent.appendChild(el('mark', null, text.slice(t.start, t.end)));
			at = t.end;
		});
		parent.appendChild(document.createTextNode(text.slice(at)));
	}

	function queryWords(q) {
		var words = [];
		parse(q).forEach(function (p) { words = words.concat(p.words); });
		return words;
	}

	/* Documents passing the ticked values of every facet but skip (facets
	 * not loaded have nothing ticked). */
	function filtered(docs, facets, skip) {
		var sets = [];
		facets.forEach(function (f, i) {
			if (i === skip || !f.values)
				return;
			var ticked = state.filters[f.name];
			if (!ticked || !ticked.length)
				return;
			var s = new Set();
			f.values.forEach(function (v) {
				if (ticked.indexOf(v.key) >= 0)
					v.docs.forEach(function (d) { s.add(d); });
			});
			sets.push(s);
		});
		if (!sets.length)
			return docs;
		return docs.filter(function (x) {
			return sets.every(function (s) { return s.has(x.doc); });
		});
	}

	function writeUrl() {
		var p = new URLSearchParams();
		if (state.q)
			p.set('q', state.q);
		Object.keys(state.filters).sort().forEach(function (k) {
			state.filters[k].forEach(function (v) { p.append(k, v); });
		});
		var s = p.toString();
		history.replaceState(null, '', location.pathname + (s ? '?' + s : ''));
	}

	function readUrl() {
		var p = new URLSearchParams(location.search);
		state.q = p.get('q') || '';
		state.filters = {};
		p.forEach(function (v, k) {
			if (k === 'q')
				return;
			(state.filters[k] = state.filters[k] || []).push(v);
		});
	}

	/* Facets whose files are at most this big load with every query; the
	 * others (claims, alliances, ...: tens of kilobytes) when ticked or
	 * opened. (Tests set a smaller threshold for a small site.) */
	var EAGER_FACET_BYTES = typeof window.enquireSearchEagerFacetBytes === 'number' ?
		window.enquireSearchEagerFacetBytes : 2048;

	function facetNeeded(m, i) {
		var name = m.facetNames[i];
		return (m.facetBytes && m.facetBytes[i] <= EAGER_FACET_BYTES) ||
			state.open[name] || (state.filters[name] || []).length > 0;
	}

	/* [{name, values}] of every facet, values undefined when not needed
	 * (so not loaded). */
	function getFacets(m) {
		return Promise.all(m.facetNames.map(function (n, i) {
			if (!facetNeeded(m, i))
				return { name: n, values: undefined };
			return loadFacet(m, i).then(function (values) {
				return { name: n, values: values };
			});
		}));
	}

	/* Runs the query in the box and shows its results; resolves when they
	 * are shown (the facets may follow). */
	function update() {
		var seq = ++state.seq;
		var q = state.q.trim();
		writeUrl();
		if (!q) {
			ui.results.textContent = '';
			ui.facets.textContent = '';
			ui.more.hidden = true;
			ui.status.textContent = '';
			return Promise.resolve();
		}
		/* the facet lists load while the query runs */
		var facetsReady = getManifest().then(getFacets);
		var ticked = Object.keys(state.filters).length > 0;
		return run(q).then(function (res) {
			if (seq !== state.seq)
				return;
			state.last = res;
			/* Nothing ticked: the results need not wait for the facets. */
			var shown = ticked ? null : show(res.m, q, res.docs, res, seq);
			var facetsShown = facetsReady.then(function (facets) {
				if (seq !== state.seq)
					return;
				showFacets(res.docs, facets);
				if (ticked)
					return show(res.m, q, filtered(res.docs, facets, -1), res, seq);
			});
			return shown || facetsShown;
		}).catch(function (e) {
			if (seq === state.seq)
				ui.status.textContent = 'Search is not available: ' + e.message;
		});
	}

	/* One query at a time: input while one runs waits for it, then the
	 * latest text runs (no fixed delay, so results follow typing as fast
	 * as the shards arrive). */
	var busy = false, again = false;
	function kick() {
		if (busy) {
			again = true;
			return;
		}
		busy = true;
		again = false;
		function done() {
			busy = false;
			if (again)
				kick();
		}
		/* (a throw in update must not leave the box dead) */
		Promise.resolve().then(update).then(done, done);
	}

	function show(m, q, docs, res, seq) {
		var words = queryWords(q);
		var list = docs.slice(0, state.shown);
		return Promise.all(list.map(function (x) { return fragment(m, x.doc); }))
			.then(function (fr) {
				if (seq !== state.seq)
					return;
				ui.results.textContent = '';
				fr.forEach(function (f) {
					var li = el('li', { class: 'search-result' });
					var h = el('h3');
					var a = el('a', { href: root + f.u });
					highlight(a, f.t, words);
					h.appendChild(a);
					li.appendChild(h);
					var meta = el('p', { class: 'search-meta' });
					meta.textContent = f.k + (f.m ? ' · ' + f.m : '');
					li.appendChild(meta);
					var p = el('p', { class: 'search-excerpt' });
					highlight(p, f.e, words);
					li.appendChild(p);
					ui.results.appendChild(li);
				});
				ui.more.hidden = docs.length <= state.shown;
				var n = docs.length;
				if (!n) {
					ui.status.textContent = res.empty ?
						'Type a few more words: that query has only very common ones.' :
						'No results for “' + q + '”. Try fewer or different words, ' +
						'check the spelling, or untick some filters.';
				} else {
					ui.status.textContent = (res.partial ?
						'No result has all the words; ' : '') +
						n + (n === 1 ? ' result' : ' results') +
						(res.partial ? ' with some of them' : '') +
						' for “' + q + '”' + (n > list.length ? ', showing ' +
						list.length : '') + '.';
				}
			});
	}

	/* A facet group the reader opens loads its values, then shows them. */
	function onToggle(det, name) {
		var wasOpen = !!state.open[name];
		if (det.open)
			state.open[name] = true;
		else
			delete state.open[name];
		if (!det.open || wasOpen || det.getAttribute('data-loaded') || !state.last)
			return;
		var res = state.last, seq = state.seq;
		getFacets(res.m).then(function (facets) {
			if (seq === state.seq)
				showFacets(res.docs, facets);
		});
	}

	function showFacets(all, facets) {
		var open = {};
		ui.facets.querySelectorAll('details').forEach(function (d) {
			open[d.getAttribute('data-facet')] = d.open;
		});
		var focused = document.activeElement && ui.facets.contains(document.activeElement) ?
			document.activeElement.id : null;
		ui.facets.textContent = '';
		facets.forEach(function (f, i) {
			var label = FACET_LABELS[f.name] || f.name;
			var det = el('details', { 'data-facet': f.name });
			det.appendChild(el('summary', null, label));
			det.addEventListener('toggle', function () { onToggle(det, f.name); });
			if (!f.values) {
				/* not loaded: opening the group loads it */
				det.open = false;
				ui.facets.appendChild(det);
				return;
			}
			det.setAttribute('data-loaded', '1');
			var docs = filtered(all, facets, i);
			var inResult = new Set(docs.map(function (x) { return x.doc; }));
			var ticked = state.filters[f.name] || [];
			var rows = [];
			f.values.forEach(function (v) {
				var c = 0;
				for (var j = 0; j < v.docs.length; j++)
					if (inResult.has(v.docs[j]))
						c++;
				if (c || ticked.indexOf(v.key) >= 0)
					rows.push({ v: v, c: c });
			});
			if (!rows.length && !state.open[f.name])
				return;
			det.open = open[f.name] !== undefined ? open[f.name] :
				!!state.open[f.name] || ticked.length > 0 || rows.length <= 8;
			if (det.open)
				state.open[f.name] = true;
			var fs = el('fieldset');
			fs.appendChild(el('legend', { class: 'visually-hidden' }, label));
			if (!rows.length)
				fs.appendChild(el('p', { class: 'facet-none' }, 'None in these results.'));
			rows.forEach(function (r, k) {
				var id = 'facet-' + f.name + '-' + k;
				var div = el('div', { class: 'facet-value' });
				var cb = el('input', { type: 'checkbox', id: id, name: f.name,
					value: r.v.key });
				cb.checked = ticked.indexOf(r.v.key) >= 0;
				cb.addEventListener('change', function () {
					var t = state.filters[f.name] = (state.filters[f.name] || [])
						.filter(function (x) { return x !== r.v.key; });
					if (cb.checked)
						t.push(r.v.key);
					if (!t.length)
						delete state.filters[f.name];
					state.shown = PAGE;
					kick();
				});
				var lab = el('label', { for: id }, r.v.label + ' ');
				lab.appendChild(el('span', { class: 'facet-count' }, '(' + r.c + ')'));
				div.appendChild(cb);
				div.appendChild(lab);
				fs.appendChild(div);
			});
			det.appendChild(fs);
			ui.facets.appendChild(det);
		});
		if (focused && document.getElementById(focused))
			document.getElementById(focused).focus();
	}

	function start() {
		var form = document.getElementById('search-form');
		if (!form)
			return;
		ui.input = document.getElementById('search-q');
		ui.status = document.getElementById('search-status');
		ui.results = document.getElementById('search-results');
		ui.facets = document.getElementById('search-facets');
		ui.more = document.getElementById('search-more');
		document.getElementById('search-needs-js').hidden = true;
		document.getElementById('search-app').hidden = false;
		readUrl();
		ui.input.value = state.q;
		ui.input.addEventListener('input', function () {
			state.q = ui.input.value;
			state.shown = PAGE;
			kick();
		});
		form.addEventListener('submit', function (e) {
			e.preventDefault();
			state.q = ui.input.value;
			state.shown = PAGE;
			kick();
		});
		ui.more.addEventListener('click', function () {
			state.shown += PAGE;
			kick();
		});
		if (state.q)
			kick();
		else
			getManifest(); /* (preloaded by the page) */
		ui.input.focus();
	}

	/* For tests and the benchmark: the same query engine, without the page. */
	window.enquireSearch = { run: run, tokens: tokens, fold: fold,
		fragment: function (d) {
			return getManifest().then(function (m) { return fragment(m, d); });
		} };

	if (document.readyState === 'loading')
		document.addEventListener('DOMContentLoaded', start);
	else
		start();
})();
