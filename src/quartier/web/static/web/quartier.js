/* Quartier's few behaviours, kept out of the markup so the Content Security Policy can
   forbid inline scripts and eval. */
document.addEventListener("htmx:afterRequest", function (event) {
  var form = event.target;
  // A chat form empties itself once its message was sent.
  if (form.matches && form.matches("form[data-reset-on-success]") && event.detail.successful) {
    form.reset();
  }
});

// On a phone the header's links fold behind a menu button (see .collapsible in the CSS).
(function () {
  var header = document.querySelector(".site-header");
  var toggle = header && header.querySelector(".menu-toggle");
  if (!toggle) return;
  toggle.hidden = false;
  header.classList.add("collapsible");
  toggle.addEventListener("click", function () {
    var open = header.classList.toggle("open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();

// After a failed submit, focus moves to the summary of what to fix.
(function () {
  var summary = document.querySelector(".form-errors");
  if (summary) summary.focus();
})();

// Weekly hours: one button copies Monday's periods into the six other days.
(function () {
  var button = document.querySelector("[data-copy-first-day]");
  if (!button) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var monday = button.form.querySelectorAll("input[id^='id_d0_']");
    for (var day = 1; day < 7; day++) {
      monday.forEach(function (input) {
        var other = document.getElementById(input.id.replace("id_d0_", "id_d" + day + "_"));
        if (other) other.value = input.value;
      });
    }
  });
})();

// "Copy" next to a secret shown once (a new API key): to the clipboard, then "Copied".
(function () {
  if (!navigator.clipboard) return;
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        button.textContent = button.getAttribute("data-copied");
      });
    });
  });
})();

/* A signature pad: <canvas data-signature-for="ID"> draws with finger or mouse and writes
   the strokes as SVG path data into the hidden input ID (the form then sends them). */
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("canvas[data-signature-for]").forEach(function (canvas) {
    var input = document.getElementById(canvas.dataset.signatureFor);
    var pen = canvas.getContext("2d");
    var drawing = false;
    pen.lineWidth = 2;
    pen.lineCap = "round";
    function at(event) {
      var box = canvas.getBoundingClientRect();
      var x = Math.round((event.clientX - box.left) * canvas.width / box.width);
      var y = Math.round((event.clientY - box.top) * canvas.height / box.height);
      return [x, y];
    }
    canvas.addEventListener("pointerdown", function (event) {
      drawing = true;
      canvas.setPointerCapture(event.pointerId);
      var p = at(event);
      pen.beginPath();
      pen.moveTo(p[0], p[1]);
      input.value += "M" + p[0] + " " + p[1] + " ";
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) return;
      var p = at(event);
      pen.lineTo(p[0], p[1]);
      pen.stroke();
      input.value += "L" + p[0] + " " + p[1] + " ";
    });
    ["pointerup", "pointercancel"].forEach(function (name) {
      canvas.addEventListener(name, function () { drawing = false; });
    });
    var clear = document.querySelector("[data-signature-clear='" + canvas.dataset.signatureFor + "']");
    if (clear) {
      clear.addEventListener("click", function () {
        pen.clearRect(0, 0, canvas.width, canvas.height);
        input.value = "";
      });
    }
  });
});
