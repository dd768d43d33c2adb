// Show the running total of the chosen proposals on the ballot. The page works without this
// script, because the server checks every ballot rule on submit. The texts come translated from
// the form's data attributes.
(function () {
  "use strict";
  var form = document.getElementById("ballot-form");
  var status = document.getElementById("budget-total");
  if (!form || !status) { return; }
  var budget = Number(form.dataset.budget);
  var currency = form.dataset.currency || "EUR";
  var symbol = currency === "EUR" ? "€" : currency;
  var format = new Intl.NumberFormat(document.documentElement.lang || "fi", {
    maximumFractionDigits: 2
  });

  function update() {
    var total = 0;
    form.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
      total += Number(box.dataset.cost || 0);
    });
    var text = form.dataset.totalTemplate.replace("{total}", format.format(total) + "\u00a0" + symbol);
    if (total > budget) { text += " " + form.dataset.overMessage; }
    status.textContent = text;
    status.hidden = false;
  }

  form.addEventListener("change", update);
  update();
}());
