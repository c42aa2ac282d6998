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
