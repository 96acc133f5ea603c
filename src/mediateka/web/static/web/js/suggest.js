// Search-as-you-type for the header search box: film titles from /<lang>/search/suggest fill
// the box's <datalist>, which the browser shows and reads out as a native list. Without
// JavaScript the box is a plain search form.
(function () {
  var box = document.getElementById("site-q");
  var list = document.getElementById("site-q-list");
  if (!box || !list || !window.fetch) return;
  var timer, last = "";
  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = box.value.trim();
      if (q.length < 2 || q === last) return;
      last = q;
      fetch(box.dataset.suggest + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) {
          if (q !== last) return; // a later keystroke has asked again
          list.textContent = "";
          data.suggestions.forEach(function (s) {
            var option = document.createElement("option");
            option.value = s.title;
            list.appendChild(option);
          });
        })
        .catch(function () {});
    }, 200);
  });
})();
