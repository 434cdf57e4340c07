/*
 * search.js: the search page (themes/default/templates/search.mustache)
 * over the query engine of search-engine.js, which the page loads first:
 * the query box, results shown as they arrive, "more results", the
 * facets' tick boxes, and the query and ticks kept in the address (so a
 * search can be shared and the back button works).
 */
(function () {
	'use strict';

	var E = window.enquireSearch;
	var script = document.currentScript;
	var root = (script && script.getAttribute('data-root')) || '/';
	var PAGE = 10;

	var FACET_LABELS = { type: 'Type', claim: 'Claim', theme: 'Theme',
		phase: 'School phase', subject: 'Subject', key_stage: 'Key stage',
		alliance: 'Alliance', c2l: 'C2L phase' };

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
		E.tokens(text).forEach(function (t) {
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
		E.parse(q).forEach(function (p) { words = words.concat(p.words); });
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
			return E.loadFacet(m, i).then(function (values) {
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
		var facetsReady = E.getManifest().then(getFacets);
		var ticked = Object.keys(state.filters).length > 0;
		return E.run(q).then(function (res) {
			if (seq !== state.seq)
				return;
			state.last = res;
			/* Nothing ticked: the results need not wait for the facets. */
			var shown = ticked ? null : show(q, res.docs, res, seq);
			var facetsShown = facetsReady.then(function (facets) {
				if (seq !== state.seq)
					return;
				showFacets(res.docs, facets);
				if (ticked)
					return show(q, filtered(res.docs, facets, -1), res, seq);
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

	function show(q, docs, res, seq) {
		var words = queryWords(q);
		var list = docs.slice(0, state.shown);
		return Promise.all(list.map(function (x) { return E.fragment(x.doc); }))
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
			E.getManifest(); /* (preloaded by the page) */
		ui.input.focus();
	}

	if (document.readyState === 'loading')
		document.addEventListener('DOMContentLoaded', start);
	else
		start();
})();
