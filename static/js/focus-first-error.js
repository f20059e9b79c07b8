// After a failed submit, move focus to what needs fixing so keyboard and screen-reader users hear
// it. The page names candidates on the script tag, most important first, separated by "|":
//   <script src=".../focus-first-error.js" data-targets="#form-errors|form .is-invalid"></script>
// A file, not an inline script: the Content-Security-Policy allows scripts from this site only.
(function () {
  var script = document.currentScript;
  var targets = ((script && script.dataset.targets) || "").split("|");
  for (var i = 0; i < targets.length; i++) {
    var selector = targets[i].trim();
    var target = selector ? document.querySelector(selector) : null;
    if (target) {
      target.focus();
      return;
    }
  }
})();
