// A page that polls (hx-trigger "every Ns" on an element marked data-poll) asks nothing
// while its tab is hidden, and catches up at once when it is shown again: a member with
// many background tabs costs the server nothing (docs/architecture.md, "What polling costs").
document.addEventListener("htmx:beforeRequest", function (event) {
  if (document.hidden && event.detail.elt.hasAttribute("data-poll")) {
    event.preventDefault();
  }
});
document.addEventListener("visibilitychange", function () {
  if (document.hidden) return;
  document.querySelectorAll("[data-poll]").forEach(function (element) {
    htmx.trigger(element, "cw:shown");
  });
});
