// Drag-and-drop onto the upload zone: the dropped files become the form's files and the
// form is sent by htmx (the same request as choosing files with the button).
(function () {
  var zone = document.getElementById("drop-zone");
  var input = document.getElementById("file-input");
  var form = document.getElementById("upload-form");
  if (!zone || !input || !form) return;
  function send() { if (input.files && input.files.length) { htmx.trigger(form, "submit"); } }
  ["dragenter", "dragover"].forEach(function (t) {
    zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (t) {
    zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (e) {
    if (!e.dataTransfer || !e.dataTransfer.files.length) return;
    input.files = e.dataTransfer.files;
    send();
  });
  input.addEventListener("change", send);
  form.addEventListener("htmx:afterRequest", function () { form.reset(); });
})();

// A request that fails must say so: htmx swaps nothing on an error answer or a lost
// connection, so a click on 重新检查 or 生成 after `sheetkit serve` was restarted (new
// security token) or closed did nothing at all. The server's own answers are Chinese
// sentences; anything else (an HTML page, a 5xx) is replaced by one.
(function () {
  var box = document.getElementById("page-error");
  if (!box) return;
  function show(text) { box.textContent = text; box.hidden = false; box.scrollIntoView({block: "nearest"}); }
  document.body.addEventListener("htmx:beforeRequest", function () { box.hidden = true; });
  document.body.addEventListener("htmx:responseError", function (e) {
    var xhr = e.detail.xhr, text = (xhr.responseText || "").trim();
    if (xhr.status >= 500 || !text || text.charAt(0) === "<" || !/[\u4e00-\u9fff]/.test(text)) {
      text = "操作没有完成（检查程序返回错误 " + xhr.status + "）。请刷新页面后重试；仍不行时请重新启动检查程序。";
    }
    show(text);
  });
  document.body.addEventListener("htmx:sendError", function () {
    show("连接不上检查程序：请确认运行 sheetkit serve 的窗口仍开着（或重新打开桌面上的快捷方式），然后刷新页面。");
  });
})();
