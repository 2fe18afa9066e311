// A live count of the characters left in a textarea with data-counter
// (the id of the element that shows it). Without JavaScript the element
// says the limit and maxlength enforces it.
(function () {
  "use strict";
  // The words come from the page (data-counter-text, in the reader's
  // language, "{0}" the characters left and "{1}" the limit).
  var lang = document.documentElement.lang || "en";
  function fmt(n) { try { return n.toLocaleString(lang); } catch (e) { return String(n); } }
  document.querySelectorAll("textarea[data-counter][maxlength]").forEach(function (ta) {
    var out = document.getElementById(ta.getAttribute("data-counter"));
    if (!out) { return; }
    var max = parseInt(ta.getAttribute("maxlength"), 10);
    function update() {
      var left = max - ta.value.length;
      var text = out.getAttribute("data-counter-text") || "{0} / {1}";
      out.textContent = text.replace("{0}", fmt(left)).replace("{1}", fmt(max));
    }
    ta.addEventListener("input", update);
    update();
  });
})();
