// django-otp-webauthn's registration script announces a saved passkey with an event; reload the
// profile page so its list of methods (rendered on the server) shows the new passkey.
// A file, not an inline script: the Content-Security-Policy allows scripts from this site only.
document.addEventListener("otp_webauthn.register_complete", function () {
  window.location.reload();
});
