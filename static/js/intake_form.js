/* The intake form: marks the fields the chosen project type requires, and adds a customer in a
   dialog without leaving the page (htmx loads the customer form and posts it; the server answers
   with a `pmo:customer-created` event). Without JavaScript, the "Add a customer" button posts the
   intake's values to the customer page, which carries them and comes back. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var form = document.getElementById("intake-form");
  var source = document.getElementById("intake-required-fields");
  if (!form || !source) { return; }
  var required = JSON.parse(source.textContent);
  var typeSelect = form.querySelector("#id_project_type");
  var marker = form.querySelector('label[for="id_title"] .asteriskField');

  function markRequired() {
    var names = required.types[typeSelect.value] || [];
    required.fields.forEach(function (name) {
      var input = form.querySelector("#id_" + name);
      var label = form.querySelector('label[for="id_' + name + '"]');
      if (!input || !label) { return; }
      var on = names.indexOf(name) !== -1;
      var star = label.querySelector(".asteriskField");
      input.required = on;
      label.classList.toggle("requiredField", on);
      if (on && !star && marker) {
        var text = label.lastChild;  // as the server writes it: "Label*", no space before the star
        if (text && text.nodeType === Node.TEXT_NODE) { text.textContent = text.textContent.replace(/\s+$/, ""); }
        label.appendChild(marker.cloneNode(true));
      }
      if (!on && star) { star.remove(); }
    });
  }
  if (typeSelect) {
    typeSelect.addEventListener("change", markRequired);
    markRequired();  // the browser may have restored another choice than the page was made with
  }

  var opener = form.querySelector("[data-customer-dialog]");
  var dialogElement = document.getElementById("customer-dialog");
  var content = document.getElementById("customer-dialog-content");
  var select = form.querySelector("#id_customer");
  var status = document.getElementById("customer-added");
  if (!opener || !dialogElement || !content || !select || typeof htmx === "undefined" ||
      typeof bootstrap === "undefined") { return; }
  var dialog = bootstrap.Modal.getOrCreateInstance(dialogElement);
  var created = false;

  function focusFirstField() {
    var field = content.querySelector(".is-invalid") ||
      content.querySelector("input:not([type=hidden]), select, textarea");
    if (field) { field.focus(); }
  }

  opener.addEventListener("click", function (event) {
    event.preventDefault();
    created = false;
    htmx.ajax("GET", opener.dataset.customerDialog, {target: content, swap: "innerHTML"}).then(function () {
      dialog.show();
    });
  });
  dialogElement.addEventListener("shown.bs.modal", focusFirstField);
  content.addEventListener("htmx:afterSettle", function () {
    if (dialogElement.classList.contains("show")) { focusFirstField(); }
  });
  dialogElement.addEventListener("hidden.bs.modal", function () {
    content.replaceChildren();
    (created ? select : opener).focus();
  });

  document.body.addEventListener("pmo:customer-created", function (event) {
    var customer = event.detail;
    var option = new Option(customer.name, String(customer.id), true, true);
    var before = Array.prototype.find.call(select.options, function (o) {
      return o.value && o.text.localeCompare(customer.name) > 0;
    });
    select.add(option, before || null);
    select.value = String(customer.id);
    select.dispatchEvent(new Event("change", {bubbles: true}));
    status.textContent = customer.message;
    created = true;
    dialog.hide();
  });
});
