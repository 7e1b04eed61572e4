// The speaker's countdown ticks every second between the page's 5-second refreshes;
// without this script the server-rendered time is shown and refreshed by the poll.
(function () {
  "use strict";
  function format(seconds) {
    var s = Math.abs(seconds);
    var rest = s % 60;
    return Math.floor(s / 60) + ":" + (rest < 10 ? "0" : "") + rest;
  }
  function tick() {
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      if (!el.dataset.start) {
        el.dataset.start = String(Date.now());
      }
      var left = Number(el.dataset.countdown) - Math.floor((Date.now() - Number(el.dataset.start)) / 1000);
      var over = left < 0;
      el.classList.toggle("over", over);
      el.querySelector(".countdown-left").hidden = over;
      el.querySelector(".countdown-over").hidden = !over;
      el.querySelectorAll(".countdown-time").forEach(function (t) { t.textContent = format(left); });
    });
  }
  setInterval(tick, 1000);
})();
