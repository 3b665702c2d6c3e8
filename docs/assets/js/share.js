// Copy buttons for citations, code snippets and embed codes where scripts run; without scripts the text stays
// selectable. Progressive enhancement only: nothing on the page depends on this file.
(function () {
  "use strict";
  if (!navigator.clipboard || !document.querySelectorAll) { return; }
  var zh = (document.documentElement.lang || "").indexOf("zh") === 0;
  var label = zh ? "复制" : "Copy";
  var done = zh ? "已复制" : "Copied";

  function addButton(block) {
    if (block.dataset.copy) { return; }
    block.dataset.copy = "1";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = label;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(block.textContent).then(function () {
        button.textContent = done;
        window.setTimeout(function () { button.textContent = label; }, 2000);
      }, function (error) { console.warn(error); });
    });
    block.parentNode.insertBefore(button, block.nextSibling);
  }

  function enhance(root) {
    Array.prototype.forEach.call(root.querySelectorAll(".citation"), addButton);
  }

  // a row's citation gets its buttons when it is opened, so that a long list does not make hundreds of them at once
  document.addEventListener("toggle", function (event) {
    if (event.target.open) { enhance(event.target); }
  }, true);
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".chart-panel, .package-cite, .figure-page__cite"), enhance);
    // the system's share sheet (WeChat, messages …) where the browser has one; else the page's address is copied
    Array.prototype.forEach.call(document.querySelectorAll("a.share-link"), function (link) {
      var text = link.textContent;
      link.addEventListener("click", function (event) {
        event.preventDefault();
        if (navigator.share) {
          navigator.share({title: link.dataset.title, url: link.href}).catch(function () {});
          return;
        }
        navigator.clipboard.writeText(link.href).then(function () {
          link.textContent = zh ? "已复制本页网址" : "Address copied";
          window.setTimeout(function () { link.textContent = text; }, 2000);
        }, function (error) { console.warn(error); });
      });
    });
  });
})();
