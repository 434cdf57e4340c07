// Progressive enhancement for the evidence tables: each column heading
// becomes a button that sorts the rows (numbers as numbers), announced
// through aria-sort. Without JavaScript the table and its filter links
// work as they are.
(function () {
  'use strict';
  function key(cell) {
    var text = (cell ? cell.textContent : '').trim();
    var num = parseFloat(text.replace(/[%,]/g, ''));
    return isNaN(num) ? { n: null, t: text.toLowerCase() } : { n: num, t: text };
  }
  function compare(a, b) {
    if (a.n !== null && b.n !== null) return a.n - b.n;
    if (a.n !== null) return -1;
    if (b.n !== null) return 1;
    return a.t < b.t ? -1 : a.t > b.t ? 1 : 0;
  }
  function enhance(table) {
    var heads = table.querySelectorAll('thead th');
    var body = table.tBodies[0];
    if (!body) return;
    Array.prototype.forEach.call(heads, function (th, col) {
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort-button';
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener('click', function () {
        var asc = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var c = compare(key(r1.cells[col]), key(r2.cells[col]));
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), enhance);
})();
