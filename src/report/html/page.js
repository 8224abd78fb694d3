// The addperm HTML report's filters and copy buttons. Inline in the page; it reads the page
// only (never data embedded in script). The filter state lives in the URL fragment
// (#verdict=mismatch,setup-failure&bucket=3&q=text), read on load and on every change of it,
// so a filtered view can be linked and a headless browser can open one.
(function () {
  "use strict";
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-verdict]"));
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[name=verdict]"));
  var bucket = document.getElementById("f-bucket");
  var query = document.getElementById("f-q");
  var shown = document.getElementById("f-shown");
  var lower = new Map();

  function textOf(el) {
    if (!lower.has(el)) lower.set(el, el.textContent.toLowerCase());
    return lower.get(el);
  }

  function fromHash() {
    var p = new URLSearchParams(location.hash.replace(/^#/, ""));
    var verdicts = p.has("verdict") ? p.get("verdict").split(",") : null;
    boxes.forEach(function (b) { b.checked = verdicts === null || verdicts.indexOf(b.value) >= 0; });
    bucket.value = p.get("bucket") || "";
    if (bucket.selectedIndex < 0) bucket.value = "";
    query.value = p.get("q") || "";
    apply();
  }

  function toHash() {
    var p = new URLSearchParams();
    var on = boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
    if (on.length !== boxes.length) p.set("verdict", on.join(","));
    if (bucket.value) p.set("bucket", bucket.value);
    if (query.value) p.set("q", query.value);
    var h = p.toString();
    history.replaceState(null, "", h ? "#" + h : location.pathname + location.search);
    apply();
  }

  function apply() {
    var on = boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
    var b = bucket.value;
    var q = query.value.toLowerCase();
    var n = 0;
    items.forEach(function (el) {
      var ok = on.indexOf(el.dataset.verdict) >= 0 &&
        (!b || el.dataset.bucket === b) &&
        (!q || textOf(el).indexOf(q) >= 0);
      el.hidden = !ok;
      if (ok) n++;
    });
    shown.textContent = n + " of " + items.length + " cases shown";
    // A filter down to a few cases opens them: that is what it was for.
    var open = items.filter(function (el) { return !el.hidden && el.tagName === "DETAILS"; });
    if (open.length <= 3) open.forEach(function (el) { el.open = true; });
  }

  function copy(button) {
    var code = button.parentNode.querySelector("pre code");
    var text = code ? code.textContent : "";
    var done = function () { button.textContent = "copied"; };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, function () { select(code); });
    } else {
      select(code);
    }
  }

  function select(code) {
    var range = document.createRange();
    range.selectNodeContents(code);
    var s = window.getSelection();
    s.removeAllRanges();
    s.addRange(range);
  }

  boxes.forEach(function (b) { b.addEventListener("change", toHash); });
  bucket.addEventListener("change", toHash);
  query.addEventListener("input", toHash);
  window.addEventListener("hashchange", fromHash);
  document.addEventListener("click", function (e) {
    if (e.target.matches("button.copy")) copy(e.target);
  });
  fromHash();
})();
