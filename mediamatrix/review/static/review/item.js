// A case's page: choosing a finding marks its span in the text (and scrolls to it); choosing a
// marked span marks the findings that cover it. Anchors work without this script.
(function () {
  function clear() {
    document.querySelectorAll(".review-active").forEach(function (el) {
      el.classList.remove("review-active");
    });
  }
  function showFinding(id) {
    clear();
    document.querySelectorAll("mark.review-hl").forEach(function (mark) {
      if (mark.dataset.findings.split(" ").indexOf(id) >= 0) mark.classList.add("review-active");
    });
    var row = document.getElementById("finding-" + id);
    if (row) row.classList.add("review-active");
  }
  function setup() {
    document.querySelectorAll(".review-finding").forEach(function (row) {
      var link = row.querySelector(".review-finding-link");
      if (!link) return;
      link.addEventListener("click", function (event) {
        var id = row.dataset.finding;
        var target = document.getElementById("span-" + id);
        showFinding(id);
        if (target) {
          event.preventDefault();
          target.scrollIntoView({ behavior: "smooth", block: "center" });
          history.replaceState(null, "", "#span-" + id);
        }
      });
    });
    document.querySelectorAll("mark.review-hl").forEach(function (mark) {
      mark.addEventListener("click", function () {
        var ids = mark.dataset.findings.split(" ");
        showFinding(ids[0]);
        ids.forEach(function (id) {
          var row = document.getElementById("finding-" + id);
          if (row) row.classList.add("review-active");
        });
      });
    });
    // The decision form: a dismissal has no deadline.
    var deadline = document.querySelector(".review-field-deadline");
    var kinds = document.querySelectorAll("#decision-form input[name=kind]");
    function toggle() {
      var chosen = document.querySelector("#decision-form input[name=kind]:checked");
      if (deadline) deadline.hidden = Boolean(chosen && chosen.value === "dismiss");
    }
    kinds.forEach(function (input) { input.addEventListener("change", toggle); });
    if (kinds.length) toggle();
    if (location.hash.indexOf("#span-") === 0) showFinding(location.hash.slice(6));
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
