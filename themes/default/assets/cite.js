// Fills in the "Accessed:" date of the Harvard reference with today's
// date ("23 November 2026"), the form Cite Them Right gives. Without
// JavaScript the reference keeps its "day month year" placeholder.
(function () {
  'use strict';
  var months = ['January', 'February', 'March', 'April', 'May', 'June', 'July',
    'August', 'September', 'October', 'November', 'December'];
  var now = new Date();
  var today = now.getDate() + ' ' + months[now.getMonth()] + ' ' + now.getFullYear();
  var spans = document.querySelectorAll('.cite-accessed');
  for (var i = 0; i < spans.length; i++) spans[i].textContent = today;
})();
