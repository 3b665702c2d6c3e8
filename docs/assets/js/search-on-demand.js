// The search index loads when a reader opens search, not with every page: a first visit stays light however large
// the index grows. The theme asks for search/search_index.json as soon as a page loads; that request is held back
// until the reader focuses the search field, opens the search dialog or types a search shortcut (s, f, /), or the
// address carries a query (?q=). Loaded before the theme's script, which it leaves otherwise unchanged.
(function () {
  "use strict";
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  var wanted = false;
  var held = [];

  function want() {
    if (wanted) return;
    wanted = true;
    held.splice(0).forEach(function (release) { release(); });
  }

  XMLHttpRequest.prototype.open = function (method, url) {
    this.searchIndex = /(^|\/)search\/search_index\.json$/.test(String(url).split(/[?#]/)[0]);
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var request = this;
    var args = arguments;
    if (request.searchIndex && !wanted) {
      held.push(function () { send.apply(request, args); });
      return undefined;
    }
    return send.apply(request, args);
  };

  if (/[?&]q=/.test(location.search)) want();
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("[data-md-component='search-query']")) want();
  });
  document.addEventListener("change", function (event) {
    if (event.target.id === "__search" && event.target.checked) want();
  });
  document.addEventListener("keydown", function (event) {
    if (["s", "S", "f", "F", "/"].indexOf(event.key) !== -1) want();
  }, true);
})();
