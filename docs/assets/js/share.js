// Copy buttons for citations, code snippets and embed codes where scripts run; without scripts the text stays
// selectable. The 纠错 panel's fields and message. Progressive enhancement only: nothing on the page depends on this.
(function () {
  "use strict";
  if (!document.querySelectorAll) { return; }
  var zh = (document.documentElement.lang || "").indexOf("zh") === 0;
  var label = zh ? "复制" : "Copy";
  var done = zh ? "已复制" : "Copied";
  var clipboard = !!navigator.clipboard;

  function copyButton(text, name) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = name || label;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(text()).then(function () {
        button.textContent = done;
        window.setTimeout(function () { button.textContent = name || label; }, 2000);
      }, function (error) { console.warn(error); });
    });
    return button;
  }

  function addButton(block) {
    if (block.dataset.copy || !clipboard) { return; }
    block.dataset.copy = "1";
    block.parentNode.insertBefore(copyButton(function () { return block.textContent; }), block.nextSibling);
  }

  function field(name, element) {
    var wrapper = document.createElement("label");
    wrapper.textContent = name;
    wrapper.appendChild(element);
    return wrapper;
  }

  // 纠错: the reader's organisation and evidence, the message as it will be sent (plain text: value, never markup),
  // a copy button for a phone without a mail app, and the send link remade from its template with what they add.
  function reportPanel(details) {
    var link = details.querySelector("a.report-link");
    if (!link || details.dataset.ready) { return; }
    details.dataset.ready = "1";
    var unit = document.createElement("input");
    unit.type = "text";
    unit.autocomplete = "organization";
    var evidence = document.createElement("textarea");
    evidence.rows = 3;
    var message = document.createElement("textarea");
    message.rows = 8;
    message.readOnly = true;
    var fields = document.createElement("div");
    fields.className = "report__fields";
    fields.appendChild(field(zh ? "哪里有误、应当是什么、依据" : "What is wrong, what it should be, your evidence", evidence));
    fields.appendChild(field(zh ? "您的单位（可选）" : "Your organisation (optional)", unit));
    fields.appendChild(field(zh ? "将发送的消息" : "The message to send", message));
    link.parentNode.parentNode.insertBefore(fields, link.parentNode);
    var mail = link.dataset.template.indexOf("mailto:") === 0;
    function compose() {
      var from = unit.value ? "\n\n" + (zh ? "报告人单位：" : "From: ") + unit.value : "";
      var body = link.dataset.body + evidence.value + from;
      message.value = link.dataset.title + "\n\n" + body;
      var sent = mail ? body.replace(/\r?\n/g, "\r\n") : body;  // RFC 6068: CRLF in a mailto body
      link.href = link.dataset.template.split("{title}").join(encodeURIComponent(link.dataset.title))
        .split("{body}").join(encodeURIComponent(sent));
    }
    unit.addEventListener("input", compose);
    evidence.addEventListener("input", compose);
    compose();
    if (clipboard) {
      link.parentNode.appendChild(copyButton(function () { return message.value; }, zh ? "复制消息" : "Copy the message"));
    }
  }

  // a row's citation and 纠错 get their buttons when opened, so that a long list does not make hundreds of them at once
  document.addEventListener("toggle", function (event) {
    if (!event.target.open) { return; }
    if (event.target.classList.contains("report")) { reportPanel(event.target); return; }
    Array.prototype.forEach.call(event.target.querySelectorAll(".citation"), addButton);
  }, true);
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".chart-panel .citation, .package-cite .citation, .figure-page__cite .citation"), addButton);
    // the system's share sheet (WeChat, messages …) where the browser has one; else the page's address is copied
    Array.prototype.forEach.call(document.querySelectorAll("a.share-link"), function (link) {
      var text = link.textContent;
      link.addEventListener("click", function (event) {
        if (!navigator.share && !clipboard) { return; }
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
