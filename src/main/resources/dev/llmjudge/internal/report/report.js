(function () {
  'use strict';
  // Reads the report from the DOM and only ever sets textContent, hidden and attributes it owns:
  // no data from the report is turned into markup or code here.
  var table = document.getElementById('cases');
  if (!table) {
    return;
  }
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var outcome = document.getElementById('outcome-filter');
  var metricBoxes = Array.prototype.slice.call(document.querySelectorAll('input[name="metric-filter"]'));
  var shown = document.getElementById('shown-count');
  var sortButton = document.getElementById('sort-score');
  var scoreHeader = sortButton.parentNode;
  var expandButton = document.getElementById('expand-all');
  var direction = 'none';

  function score(row) {
    var s = row.getAttribute('data-score');
    return s === null || s === '' ? null : Number(s);
  }

  function applyFilters() {
    var wanted = outcome.value;
    var metrics = new Set(metricBoxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; }));
    var visible = 0;
    rows.forEach(function (row) {
      var show = (wanted === '' || row.getAttribute('data-outcome') === wanted) && metrics.has(row.getAttribute('data-metric'));
      row.hidden = !show;
      if (show) {
        visible++;
      }
    });
    shown.textContent = 'Showing ' + visible + ' of ' + rows.length + ' cases';
  }

  function applySort() {
    var ordered = rows.slice();
    if (direction !== 'none') {
      var sign = direction === 'ascending' ? 1 : -1;
      ordered.sort(function (a, b) {
        var sa = score(a);
        var sb = score(b);
        if (sa === null || sb === null) {
          // checks without a score (judge errors) always go last
          return (sa === null) - (sb === null) || rows.indexOf(a) - rows.indexOf(b);
        }
        return sign * (sa - sb) || rows.indexOf(a) - rows.indexOf(b);
      });
    }
    ordered.forEach(function (row) { tbody.appendChild(row); });
    scoreHeader.setAttribute('aria-sort', direction);
  }

  sortButton.addEventListener('click', function () {
    direction = direction === 'descending' ? 'ascending' : direction === 'ascending' ? 'none' : 'descending';
    applySort();
  });
  outcome.addEventListener('change', applyFilters);
  metricBoxes.forEach(function (b) { b.addEventListener('change', applyFilters); });

  function allDetails() {
    return Array.prototype.slice.call(document.querySelectorAll('.long details'));
  }
  expandButton.addEventListener('click', function () {
    var open = expandButton.getAttribute('aria-pressed') !== 'true';
    allDetails().forEach(function (d) { d.open = open; });
    expandButton.setAttribute('aria-pressed', String(open));
    expandButton.textContent = open ? 'Collapse long texts' : 'Expand long texts';
  });

  // Printing shows every long text in full, then restores what the reader had open.
  var openBeforePrint = null;
  window.addEventListener('beforeprint', function () {
    openBeforePrint = allDetails().map(function (d) { return d.open; });
    allDetails().forEach(function (d) { d.open = true; });
  });
  window.addEventListener('afterprint', function () {
    if (openBeforePrint) {
      allDetails().forEach(function (d, i) { d.open = openBeforePrint[i]; });
      openBeforePrint = null;
    }
  });

  applyFilters();
})();
