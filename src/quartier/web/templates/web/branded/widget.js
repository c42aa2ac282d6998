{% autoescape off %}/* {{ partner.name|escapejs }} help request widget (Quartier). Usage:
   <script src="{{ embed_url|slice:":-6" }}widget.js" async></script> */
(function () {
  "use strict";
  var src = "{{ embed_url|escapejs }}";
  var origin = new URL(src).origin;
  var script = document.currentScript;
  var frame = document.createElement("iframe");
  frame.src = src;
  frame.title = "{{ partner.name|escapejs }}";
  frame.loading = "lazy";
  frame.style.cssText = "width:100%;border:0;min-height:480px;display:block";
  frame.setAttribute("scrolling", "no");
  if (script && script.parentNode) {
    script.parentNode.insertBefore(frame, script.nextSibling);
  } else {
    document.body.appendChild(frame);
  }
  window.addEventListener("message", function (event) {
    if (event.origin !== origin || event.source !== frame.contentWindow) return;
    var data = event.data || {};
    if (data.type === "quartier:height" && typeof data.height === "number") {
      frame.style.height = Math.ceil(data.height) + "px";
    }
  });
})();
{% endautoescape %}
