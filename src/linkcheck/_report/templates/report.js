// Filters: status, article, host and a search box. The page shows every problem
// without this script; the form appears only when it runs.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) { return; }
  var rows = Array.prototype.slice.call(document.querySelectorAll("li.p"));
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.art"));
  var shown = document.getElementById("shown");
  var texts = null; // each row's text, lower-cased on the first search

  function apply() {
    var statuses = Array.prototype.slice
      .call(form.querySelectorAll("input[name=status]:checked"))
      .map(function (box) { return box.value; });
    var article = form.elements.article.value;
    var host = form.elements.host.value;
    var query = form.elements.q.value.trim().toLowerCase();
    if (query && texts === null) {
      texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
    }
    var visible = 0;
    var perArticle = {};
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      var keep = (statuses.length === 0 || statuses.indexOf(row.dataset.s) >= 0) &&
        (article === "" || row.dataset.a === article) &&
        (host === "" || row.dataset.h === host) &&
        (query === "" || texts[i].indexOf(query) >= 0);
      row.hidden = !keep;
      if (keep) { visible++; perArticle[row.dataset.a] = true; }
    }
    sections.forEach(function (section) { section.hidden = !perArticle[section.dataset.a]; });
    shown.textContent = visible === rows.length
      ? "Showing all " + rows.length + " problems"
      : "Showing " + visible + " of " + rows.length + " problems";
  }

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  document.getElementById("show-all").addEventListener("click", function () {
    form.reset(); // synchronous, unlike the reset event's default
    apply();
  });
  form.hidden = false;
  apply();
})();
