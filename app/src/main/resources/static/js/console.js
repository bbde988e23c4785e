// The console's few behaviours that htmx does not give: CSRF header, dialogs, copy, the client-side
// expiry rule, and live token rows from the server-sent event stream.
(function () {
  'use strict';

  // Cookie-authenticated writes need Spring Security's CSRF token; htmx sends it as a header.
  document.addEventListener('htmx:configRequest', function (e) {
    var token = document.querySelector('meta[name="csrf-token"]');
    var header = document.querySelector('meta[name="csrf-header"]');
    if (token && header) {
      e.detail.headers[header.content] = token.content;
    }
  });

  function announce(near, text) {
    var scope = near.closest('section, dialog, .card, .pane') || document;
    var status = scope.querySelector('.copy-status');
    if (status) {
      status.textContent = text;
    }
  }

  document.addEventListener('click', function (e) {
    var opener = e.target.closest('[data-open-dialog]');
    if (opener) {
      var dialog = document.getElementById(opener.dataset.openDialog);
      if (dialog && !dialog.open) {
        dialog.showModal();
      }
    }
    var closer = e.target.closest('[data-close-dialog]');
    if (closer) {
      closer.closest('dialog').close();
    }
    var copy = e.target.closest('[data-copy]');
    if (copy) {
      var source = document.querySelector(copy.dataset.copy);
      var text = source.value !== undefined ? source.value : source.textContent;
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () {
          announce(copy, 'Copied to the clipboard.');
        }, function () {
          announce(copy, 'Copying was refused; select the value and copy it by hand.');
        });
      } else {
        announce(copy, 'Select the value and copy it by hand.');
      }
    }
    var reveal = e.target.closest('[data-reveal]');
    if (reveal) {
      var field = document.querySelector(reveal.dataset.reveal);
      var shown = field.type === 'password';
      field.type = shown ? 'text' : 'password';
      reveal.setAttribute('aria-pressed', shown ? 'true' : 'false');
    }
  });

  // A dialog closed after a token was shown must not show it again when reopened.
  document.addEventListener('close', function (e) {
    if (e.target.matches && e.target.matches('dialog')) {
      var created = e.target.querySelector('#token-created');
      if (created) {
        created.remove();
      }
    }
  }, true);

  // Expiry Date must be after today: say so next to the field instead of sending the form.
  function checkExpiry(input) {
    var message = '';
    if (input.value && input.min && input.value < input.min) {
      message = 'Expiry Date must be after today.';
    }
    input.setCustomValidity(message);
    var error = document.getElementById(input.getAttribute('aria-describedby'));
    if (error) {
      error.textContent = message;
    }
    if (message) {
      input.setAttribute('aria-invalid', 'true');
    } else {
      input.removeAttribute('aria-invalid');
    }
    return !message;
  }
  document.addEventListener('htmx:validation:validate', function (e) {
    if (e.target.matches('[data-after-today]')) {
      checkExpiry(e.target);
    }
  });
  document.addEventListener('htmx:validation:failed', function (e) {
    var error = document.getElementById(e.target.getAttribute('aria-describedby'));
    if (error && !error.textContent) {
      error.textContent = e.detail.message;
    }
  });
  document.addEventListener('change', function (e) {
    if (e.target.matches('[data-after-today]')) {
      checkExpiry(e.target);
    }
  });

  // Live token rows: every change on the stream re-renders that token's row wherever it is shown.
  document.addEventListener('DOMContentLoaded', function () {
    var live = document.querySelector('[data-live-tokens]');
    if (!live || !window.EventSource) {
      return;
    }
    var stream = new EventSource(live.dataset.liveTokens);
    stream.onopen = function () {
      document.body.dataset.live = 'open';
    };
    stream.addEventListener('token', function (event) {
      var token = JSON.parse(event.data);
      var row = document.getElementById('token-' + token.id);
      if (row) {
        htmx.ajax('GET', row.dataset.rowUrl, {target: row, swap: 'outerHTML'});
      } else {
        // A token this page does not show yet: the list reloads with its current filter (looked up afresh,
        // since a reload replaces the element).
        htmx.trigger(document.querySelector('[data-live-tokens]') || document.body, 'tokens-changed');
      }
    });
    window.addEventListener('pagehide', function () {
      stream.close();
    });
  });
})();
