// Interactive charts on request: the Vega bundle (served by this site) loads only when a reader asks for it.
(function () {
  "use strict";
  var bundle = null;
  var zh = (document.documentElement.lang || "").indexOf("zh") === 0;
  // what the button will do next, and what it says while the bundle (about 900 KB) loads
  var LABELS = zh ? {open: "交互式图表", loading: "正在加载交互式图表…", close: "返回静态图表", failed: "交互式图表未能加载，再试一次"}
    : {open: "Interactive chart", loading: "Loading the interactive chart…", close: "Back to the static chart",
       failed: "The interactive chart did not load: try again"};

  function loadVega(src) {
    if (!bundle) {
      bundle = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.onload = resolve;
        script.onerror = function () { bundle = null; reject(new Error("could not load " + src)); };
        document.head.appendChild(script);
      });
    }
    return bundle;
  }

  function toggle(button) {
    var figure = button.closest(".chart");
    var staticView = figure.querySelector(".chart__static");
    var interactive = figure.querySelector(".chart__interactive");
    var showing = button.getAttribute("aria-expanded") === "true";
    if (showing) {
      interactive.hidden = true;
      staticView.hidden = false;
      button.setAttribute("aria-expanded", "false");
      button.textContent = LABELS.open;
      return;
    }
    // aria-busy rather than disabled: a disabled button drops the keyboard focus, and the reader's place with it
    if (button.getAttribute("aria-busy") === "true") { return; }
    button.setAttribute("aria-busy", "true");
    button.textContent = LABELS.loading;
    // the drawing the static view shows at this width: the phone's below the wide drawing's own width, with its labels
    var narrow = staticView.getBoundingClientRect().width < Number(button.dataset.wide);
    loadVega(button.dataset.vega)
      .then(function () {
        return fetch(narrow ? button.dataset.specNarrow : button.dataset.spec).then(function (r) { return r.json(); });
      })
      .then(function (spec) {
        // The page's Content-Security-Policy allows no eval and no inline style: Vega's expression interpreter
        // (ast: true) instead of compiled expressions, and the embed and tooltip styles from site.css.
        return window.vegaEmbed(interactive, spec, {
          actions: false,
          renderer: "svg",
          ast: true,
          defaultStyle: false,
          tooltip: { disableDefaultStyle: true }
        });
      })
      .then(function () {
        interactive.hidden = false;
        staticView.hidden = true;
        button.setAttribute("aria-expanded", "true");
        button.textContent = LABELS.close;
      })
      .catch(function (error) { console.warn(error); button.textContent = LABELS.failed; })
      .finally(function () { button.removeAttribute("aria-busy"); });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".chart__toggle");
    if (button) { toggle(button); }
  });
})();
