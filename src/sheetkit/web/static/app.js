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
