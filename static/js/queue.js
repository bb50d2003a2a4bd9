// The appraisal queue: "select all" and the count of agencies a reminder will go to.
(function () {
  "use strict";
  function update() {
    const picks = document.querySelectorAll("#remind-form input.pick");
    const chosen = Array.prototype.filter.call(picks, function (box) { return box.checked; }).length;
    const button = document.getElementById("remind-button");
    const count = document.getElementById("remind-count");
    const all = document.getElementById("select-all");
    if (count) count.textContent = chosen ? String(chosen) : "";
    if (button) button.disabled = chosen === 0;
    if (all) {
      all.checked = chosen > 0 && chosen === picks.length;
      all.indeterminate = chosen > 0 && chosen < picks.length;
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    const form = document.getElementById("remind-form");
    if (!form) return;
    form.addEventListener("change", function (event) {
      if (event.target.id === "select-all") {
        form.querySelectorAll("input.pick").forEach(function (box) { box.checked = event.target.checked; });
      }
      update();
    });
    update();
  });
})();
