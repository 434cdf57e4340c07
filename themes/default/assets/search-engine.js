/*
 * search-engine.js: the query engine of the search page's client for enquire's static index (format:
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

	/* The engine, for search.js (the page) and for tests and the
	 * benchmark: the same queries without the page. */
	window.enquireSearch = { run: run, parse: parse, tokens: tokens,
		fold: fold, getManifest: getManifest, loadFacet: loadFacet,
		fragment: function (d) {
			return getManifest().then(function (m) { return fragment(m, d); });
		} };
})();
