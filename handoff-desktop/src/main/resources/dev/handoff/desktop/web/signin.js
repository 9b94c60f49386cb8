// Sign-in: posts the credential once, in the body, and goes to the desk or the wallboard.
(function () {
  'use strict';
  var H = window.Handoff;
  var reasons = {
    idle: 'You were signed out after a period without activity. Sign in again to continue.',
    expired: 'Your session ended. Sign in again to continue.',
    signed_out: 'You signed out.',
    closed: 'The desktop was restarted. Sign in again to continue.'
  };
  var why = window.sessionStorage.getItem('handoff.signout');
  if (why) {
    window.sessionStorage.removeItem('handoff.signout');
    var notice = H.$('signin-notice');
    notice.textContent = reasons[why] || reasons.expired;
    notice.hidden = false;
  }
  H.$('signin-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var input = H.$('credential');
    var button = H.$('signin-button');
    H.$('signin-error').textContent = '';
    button.disabled = true;
    H.api('POST', '/api/session', { credential: input.value }, { noRedirect: true }).then(function (me) {
      input.value = '';
      window.location.assign(me.home || '/');
    }).catch(function (e) {
      button.disabled = false;
      input.value = '';
      H.$('signin-error').textContent = e.status === 429 ? e.message.charAt(0).toUpperCase() + e.message.slice(1) + '.'
        : e.status === 401 ? 'That token was not accepted.' : 'Sign-in failed: ' + e.message;
      input.focus();
    });
  });
  H.$('credential').focus();
}());
