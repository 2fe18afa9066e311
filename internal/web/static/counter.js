// A live count of the characters left in a textarea with data-counter
// (the id of the element that shows it). Without JavaScript the element
// says the limit and maxlength enforces it.
(function () {
  "use strict";
  function fmt(n) { return n.toLocaleString("en-US"); }
  document.querySelectorAll("textarea[data-counter][maxlength]").forEach(function (ta) {
    var out = document.getElementById(ta.getAttribute("data-counter"));
    if (!out) { return; }
    var max = parseInt(ta.getAttribute("maxlength"), 10);
    function update() {
      var left = max - ta.value.length;
      out.textContent = fmt(left) + (left === 1 ? " character left" : " characters left") + " (of " + fmt(max) + ")";
    }
    ta.addEventListener("input", update);
    update();
  });
})();
