/* On a phone the results come first and the filters stay folded behind their button; a wider screen
   shows them open beside the results. Without this script they are simply folded everywhere. */
(function () {
  "use strict";
  var box = document.querySelector("details.facets-box");
  if (box && window.matchMedia("(min-width: 40.01rem)").matches) box.open = true;
})();
