// Attendance that survives a lost connection: a mark is kept in localStorage at once and
// sent with every other unsent mark in one POST; what the server confirms is dropped from
// the store. Without this script each button posts its own form.
(function () {
  "use strict";
  var list = document.querySelector(".checkin-list");
  if (!list) return;
  var key = list.dataset.storeKey;
  var url = list.dataset.batchUrl;
  var status = document.getElementById("checkin-status");
  var count = document.getElementById("checkin-count");
  var sending = false;

  function pending() {
    try { return JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { return []; }
  }
  function keep(ids) { localStorage.setItem(key, JSON.stringify(ids)); }
  function csrf() {
    var field = list.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }
  function show(id, state, text) {
    var row = list.querySelector('[data-signup="' + id + '"]');
    if (!row) return;
    row.dataset.present = state;
    var form = row.querySelector("form");
    if (form) form.remove();
    var label = row.querySelector(".checkin-state");
    if (!label) {
      label = document.createElement("span");
      label.className = "checkin-state";
      row.appendChild(label);
    }
    label.textContent = text;
  }
  function report() {
    var n = pending().length;
    status.textContent = n ? n + " " + (n === 1 ? "mark" : "marks") + " waiting to be sent." : "";
  }
  function send() {
    var ids = pending();
    if (!ids.length || sending) { report(); return; }
    sending = true;
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify({ present: ids })
    }).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    }).then(function (answer) {
      var stored = answer.stored.map(String);
      keep(pending().filter(function (id) { return stored.indexOf(String(id)) < 0; }));
      stored.forEach(function (id) { show(id, "stored", "Present"); });
      if (count) count.textContent = answer.attended + (answer.attended === 1 ? " person" : " people") + " marked present.";
    }).catch(function () {
      // Offline or refused: the marks stay stored here and go with the next attempt.
    }).then(function () { sending = false; report(); });
  }
  list.addEventListener("submit", function (event) {
    var form = event.target;
    var row = form.closest("[data-signup]");
    if (!row) return;
    event.preventDefault();
    var id = Number(row.dataset.signup);
    var ids = pending();
    if (ids.indexOf(id) < 0) ids.push(id);
    keep(ids);
    show(id, "waiting", "Present (not sent yet)");
    send();
  });
  window.addEventListener("online", send);
  pending().forEach(function (id) { show(id, "waiting", "Present (not sent yet)"); });
  send();
})();
