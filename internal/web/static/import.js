// The import form works as a plain form post; with JavaScript it shows the
// upload's progress and then the report the server sends back.
(function () {
  var form = document.getElementById("import-form");
  if (!form || !window.XMLHttpRequest || !window.FormData) return;
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var status = document.getElementById("import-status");
    var bar = document.getElementById("import-progress");
    var pct = document.getElementById("import-percent");
    var button = form.querySelector("button[type=submit]");
    status.hidden = false;
    button.disabled = true;
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) return;
      var p = Math.round((e.loaded / e.total) * 100);
      bar.value = p;
      bar.textContent = p + "%";
      pct.textContent = p + "%";
      if (p >= 100) pct.textContent = status.getAttribute("data-importing") || "…";
    });
    xhr.addEventListener("load", function () {
      document.open();
      document.write(xhr.responseText);
      document.close();
    });
    xhr.addEventListener("error", function () {
      button.disabled = false;
      pct.textContent = status.getAttribute("data-failed") || "!";
    });
    xhr.send(new FormData(form));
  });
})();
