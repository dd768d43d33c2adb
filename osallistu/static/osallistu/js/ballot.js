// Show the running total of the chosen proposals on the ballot. The page works without this
// script: the server checks the budget on submit either way.
(function () {
  "use strict";
  var form = document.getElementById("ballot-form");
  var status = document.getElementById("budget-total");
  if (!form || !status) { return; }
  var budget = Number(form.dataset.budget);
  var lang = document.documentElement.lang || "fi";
  var format = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
  var templates = {
    fi: "Valittu {total} € / {budget} €",
    sv: "Valt {total} € / {budget} €",
    en: "Chosen {total} € of {budget} €"
  };
  var over = { fi: " – budjetti ylittyy", sv: " – budgeten överskrids", en: " – over the budget" };
  function update() {
    var total = 0;
    form.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
      total += Number(box.dataset.cost || 0);
    });
    var text = (templates[lang] || templates.fi)
      .replace("{total}", format.format(total)).replace("{budget}", format.format(budget));
    if (total > budget) { text += over[lang] || over.fi; }
    status.textContent = text;
    status.hidden = false;
  }
  form.addEventListener("change", update);
  update();
}());
