// Tag autocomplete for comma-separated tag fields (the listing's "other
// tags" and the work form). Without JavaScript the fields are plain text
// inputs; with it, each <input data-autocomplete="tags"> becomes a WAI-ARIA
// combobox that suggests, for the tag being typed (the text between the
// commas around the caret), what GET /api/v1/autocomplete/tags answers.
// data-tag-type limits the suggestions to one tag type. The request carries
// no credentials, so it never reveals more than the API tells anyone.
(function () {
  "use strict";
  if (!window.fetch || !document.querySelector) return;

  var DELAY = 200; // ms of quiet typing before a request
  var MIN_CHARS = 2; // shorter prefixes match too much to help
  var cache = new Map(); // "type\nprefix" → suggestions, for this page view
  var TYPES = {
    rating: "Rating", warning: "Warning", category: "Category", fandom: "Fandom",
    relationship: "Relationship", character: "Character", freeform: "Additional tag"
  };

  var status = document.createElement("div");
  status.className = "visually-hidden";
  status.id = "ac-status";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  document.body.appendChild(status);

  function announce(msg) {
    if (status.textContent !== msg) status.textContent = msg;
  }

  // token finds the comma-separated entry around the caret.
  function token(input) {
    var v = input.value;
    var caret = input.selectionStart == null ? v.length : input.selectionStart;
    var start = v.lastIndexOf(",", caret - 1) + 1;
    var end = v.indexOf(",", caret);
    if (end < 0) end = v.length;
    return { start: start, end: end, text: v.slice(start, end).trim() };
  }

  function fold(s) {
    return s.trim().toLowerCase();
  }

  function lookup(type, prefix) {
    var key = type + "\n" + fold(prefix);
    if (cache.has(key)) return Promise.resolve(cache.get(key));
    var url = "/api/v1/autocomplete/tags?q=" + encodeURIComponent(prefix) + (type ? "&type=" + encodeURIComponent(type) : "");
    return fetch(url, { credentials: "omit", headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) return null; // rate limited or refused: no suggestions this time
      return r.json().then(function (body) {
        var list = (body && body.tags) || [];
        cache.set(key, list);
        return list;
      });
    });
  }

  var serial = 0;

  function enhance(input) {
    var id = input.id || "ac-" + ++serial;
    input.id = id;
    var type = input.getAttribute("data-tag-type") || "";
    var list = document.createElement("ul");
    list.id = id + "-listbox";
    list.className = "ac-list";
    list.setAttribute("role", "listbox");
    var label = document.querySelector('label[for="' + id + '"]');
    if (label) {
      if (!label.id) label.id = id + "-label";
      list.setAttribute("aria-labelledby", label.id);
    } else {
      list.setAttribute("aria-label", "Tag suggestions");
    }
    list.hidden = true;
    input.parentNode.classList.add("ac-wrap");
    input.insertAdjacentElement("afterend", list);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");
    input.setAttribute("autocapitalize", "off");
    input.setAttribute("spellcheck", "false");

    var items = []; // the suggestions shown
    var active = -1;
    var timer = 0;
    var asked = 0; // number of the latest request; older answers are stale

    function setActive(i) {
      if (active >= 0 && list.children[active]) list.children[active].setAttribute("aria-selected", "false");
      active = i;
      if (i < 0) {
        input.removeAttribute("aria-activedescendant");
        return;
      }
      var li = list.children[i];
      li.setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", li.id);
      if (li.scrollIntoView) li.scrollIntoView({ block: "nearest" });
    }

    function close() {
      clearTimeout(timer);
      asked++;
      if (list.hidden) return;
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
      items = [];
      list.textContent = "";
    }

    function show(found, prefix) {
      // Leave out tags the field already names.
      var t = token(input);
      var have = {};
      input.value.split(",").forEach(function (s) {
        if (s.trim()) have[fold(s)] = true;
      });
      delete have[fold(t.text)];
      items = found.filter(function (s) { return !have[fold(s.name)]; });
      list.textContent = "";
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (items.length === 0) {
        close();
        announce("No tags match " + prefix + ".");
        return;
      }
      items.forEach(function (s, i) {
        var li = document.createElement("li");
        li.id = id + "-opt-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.className = "ac-option";
        var name = document.createElement("span");
        name.className = "ac-name";
        name.textContent = s.name;
        li.appendChild(name);
        var meta = document.createElement("span");
        meta.className = "ac-meta";
        meta.textContent = (type ? "" : (TYPES[s.type] || s.type) + ", ") + s.works + (s.works === 1 ? " work" : " works");
        li.appendChild(meta);
        list.appendChild(li);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      announce(items.length + (items.length === 1 ? " tag suggested" : " tags suggested") +
        ". Up and down arrows to choose, Enter to accept.");
    }

    function suggest() {
      var t = token(input);
      if (t.text.length < MIN_CHARS) {
        close();
        return;
      }
      var n = ++asked;
      lookup(type, t.text).then(function (found) {
        if (n !== asked || document.activeElement !== input) return; // stale, or the reader moved on
        if (found) show(found, t.text);
        else close();
      }, function () {
        if (n === asked) close();
      });
    }

    function accept(i) {
      var s = items[i];
      if (!s) return;
      var t = token(input);
      var v = input.value;
      var before = v.slice(0, t.start);
      var after = v.slice(t.end);
      if (before && !/\s$/.test(before)) before += " ";
      var insert = s.name;
      var caret;
      if (after.trim() === "") {
        insert += ", "; // ready for the next tag
        after = "";
      }
      input.value = before + insert + after;
      caret = (before + insert).length;
      input.setSelectionRange(caret, caret);
      close();
      announce(s.name + " added.");
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      asked++; // an answer to what was typed before is stale now
      timer = setTimeout(suggest, DELAY);
    });

    input.addEventListener("keydown", function (e) {
      if (e.isComposing) return;
      var open = !list.hidden;
      switch (e.key) {
        case "ArrowDown":
          e.preventDefault();
          if (!open) { suggest(); return; }
          setActive(active + 1 < items.length ? active + 1 : 0);
          break;
        case "ArrowUp":
          if (!open) return;
          e.preventDefault();
          setActive(active > 0 ? active - 1 : items.length - 1);
          break;
        case "Enter":
          if (open && active >= 0) {
            e.preventDefault(); // choosing a tag does not submit the form
            accept(active);
          } else {
            close();
          }
          break;
        case "Tab":
          if (open && active >= 0) accept(active);
          else close();
          break;
        case "Escape":
          if (open) {
            e.preventDefault();
            close();
          }
          break;
      }
    });

    input.addEventListener("blur", function () {
      close();
    });

    // mousedown would move the focus away and close the list before click.
    list.addEventListener("mousedown", function (e) {
      e.preventDefault();
    });
    list.addEventListener("click", function (e) {
      var li = e.target.closest("li[role=option]");
      if (!li) return;
      accept(Array.prototype.indexOf.call(list.children, li));
      input.focus();
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("input[data-autocomplete=tags]"), enhance);
})();
