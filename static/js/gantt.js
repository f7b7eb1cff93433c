/* The plan's Gantt view. Moving or stretching a bar asks the server; a refused move snaps back
   with the server's reason, an accepted one reloads the data so dependants follow. */
(function () {
  "use strict";
  var holder = document.getElementById("gantt");
  if (!holder) { return; }
  var dataUrl = holder.dataset.dataUrl;
  var moveUrl = holder.dataset.moveUrl;
  var editable = holder.dataset.editable === "true";
  var csrf = document.querySelector("[name=csrfmiddlewaretoken]").value;
  var status = document.getElementById("gantt-status");
  var gantt = null;
  var versions = {};

  function iso(date) {
    var local = new Date(date.getTime() - date.getTimezoneOffset() * 60000);
    return local.toISOString().slice(0, 10);
  }

  // frappe-gantt writes a task's name into the chart (bar label, popup title) with innerHTML:
  // stored names must arrive as text, so they are escaped here, before the chart sees them.
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"}[c];
    });
  }

  // The chart's own popup is English and joins its parts as HTML; this one shows the server's
  // (translated, already escaped here) dates and progress.
  function popup(ctx) {
    ctx.set_title(ctx.task.name);
    ctx.set_subtitle("");
    ctx.set_details(escapeHtml(ctx.task.period || ""));
  }

  function chartTasks(tasks) {
    return tasks.map(function (t) {
      var copy = Object.assign({}, t);
      copy.name = escapeHtml(t.name);
      return copy;
    });
  }

  // The chart's "Today" button is English in frappe-gantt.
  function translate() {
    var today = holder.querySelector(".today-button");
    if (today) { today.textContent = holder.dataset.today; }
  }

  function say(text, kind) {
    status.textContent = text;
    status.className = "alert alert-" + kind + " py-1 small";
    status.hidden = !text;
  }

  function load() {
    return fetch(dataUrl, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (data) {
      versions = {};
      data.tasks.forEach(function (t) { versions[t.id] = t.version; });
      document.getElementById("forecast-end").textContent = data.forecast_end_label;
      var tasks = chartTasks(data.tasks);
      if (gantt) { gantt.refresh(tasks); translate(); return; }
      gantt = new Gantt(holder, tasks, {
        view_mode: "Week", readonly: !editable, readonly_progress: true, holidays: {}, ignore: [],
        popup_on: "hover", popup: popup,
        // The server moves the dependants (and may refuse); the chart must not move them itself.
        move_dependencies: false,
        language: document.documentElement.lang || "en",
        on_date_change: function (task, start, end) { move(task, start, end); }
      });
      translate();
    });
  }

  var pending = Promise.resolve();

  function move(task, start, end) {
    if (!/^\d+$/.test(task.id)) { load(); return; }  // milestones are moved through the plan, not here
    // One move at a time, in order: each is validated against the result of the previous.
    pending = pending.then(function () { return send(task, start, end); });
  }

  function send(task, start, end) {
    var body = new URLSearchParams({activity: task.id, start: iso(start), end: iso(end), version: versions[task.id]});
    return fetch(moveUrl, {method: "POST", credentials: "same-origin", body: body,
                    headers: {"X-CSRFToken": csrf, "Accept": "application/json"}})
      .then(function (r) { return r.json().then(function (json) { return {ok: r.ok, json: json}; }); })
      .then(function (result) {
        say(result.json.message, result.ok ? "success" : "danger");
        return load();  // accepted: dependants moved; refused: the bar snaps back
      });
  }

  load();
})();
