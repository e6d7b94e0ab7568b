// The page at an old address (an alias under «aliases:»): goes on to the new
// address with the anchor the old link had («…/#sak-04-2017», as invitations
// print them), which a meta refresh would drop. Without JavaScript, the refresh
// in <noscript> goes to the page itself.
(function () {
  var to = document.querySelector('link[rel="canonical"]');
  if (to) location.replace(to.href + location.hash);
})();
