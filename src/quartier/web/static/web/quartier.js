/* Quartier's few behaviours, kept out of the markup so the Content Security Policy can
   forbid inline scripts and eval. */
document.addEventListener("htmx:afterRequest", function (event) {
  var form = event.target;
  // A chat form empties itself once its message was sent.
  if (form.matches && form.matches("form[data-reset-on-success]") && event.detail.successful) {
    form.reset();
  }
});
