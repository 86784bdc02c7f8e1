/* WordPress's embed protocol, for the embed page (templates/embed.html.j2), which carries this text inline
   under a Content-Security-Policy that allows it by its hash alone. A WordPress page frames the card with
   sandbox="allow-scripts" (no pop-ups, no navigation) and a secret in the hash (#?secret=...); its wp-embed
   script resizes the frame and opens the link when the framed page asks by postMessage with that secret.
   Anywhere else (no secret, or not framed) this does nothing and the link opens in a new tab as written. */
(function () {
  var secret = /secret=([A-Za-z0-9]+)/.exec(location.hash);
  if (!secret || window.top === window) return;
  var main = document.querySelector("main");
  function send(message, value) {
    window.parent.postMessage({ message: message, value: value, secret: secret[1] }, "*");
  }
  main.style.minHeight = "0";  /* the frame takes the card's height, so the card need not fill the frame */
  main.querySelectorAll(".new-tab").forEach(function (note) { note.remove(); });  /* WordPress opens it here */
  new ResizeObserver(function () {
    send("height", Math.ceil(main.getBoundingClientRect().height));
  }).observe(main);
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[href]");
    if (link) {
      event.preventDefault();
      send("link", link.href);
    }
  });
})();
