// Copy buttons for citations: copies the text of the element named by data-copy.
// Local script, no request leaves the site.
document.addEventListener("click", function (event) {
  var button = event.target.closest("button.ie-copy");
  if (!button) return;
  var target = document.getElementById(button.getAttribute("data-copy"));
  if (!target) return;
  var text = target.innerText.trim();
  var done = function () {
    var label = button.textContent;
    button.textContent = "Copied";
    setTimeout(function () { button.textContent = label; }, 1500);
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done, function () { select(target); });
  } else {
    select(target);
  }
  function select(el) {
    var range = document.createRange();
    range.selectNodeContents(el);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    button.textContent = "Selected: press Ctrl+C";
  }
});
