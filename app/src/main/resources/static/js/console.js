// The console's few behaviours that htmx does not give: CSRF header, dialogs, copy, the client-side
// expiry rule, and live token rows and lists from the server-sent event stream.
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

  // Copies through a selection (the way before the Clipboard API), and says plainly when the browser refused:
  // the value is then left selected for Ctrl+C.
  function copyBySelection(button, source, text) {
    var field = source;
    var scratch = null;
    if (source.select === undefined) {
      scratch = document.createElement('textarea');
      scratch.value = text;
      scratch.setAttribute('readonly', '');
      scratch.style.position = 'fixed';
      scratch.style.opacity = '0';
      document.body.appendChild(scratch);
      field = scratch;
    }
    field.focus();
    field.select();
    var copied = false;
    try {
      copied = document.execCommand('copy');
    } catch (err) {
      copied = false;
    }
    if (scratch) {
      document.body.removeChild(scratch);
    }
    if (copied) {
      announce(button, 'Copied to the clipboard.');
    } else {
      if (!scratch) {
        source.focus();
        source.select();
      }
      announce(button, 'This browser does not let the page copy here: the value is selected, press Ctrl+C (⌘C on a Mac).');
    }
  }

  // Opens a dialog and moves the focus into it: to its first field, else to Cancel (the safe choice of a
  // confirmation).
  function openDialog(dialog) {
    if (!dialog.open) {
      dialog.showModal();
    }
    var first = dialog.querySelector('input:not([type=hidden]):not([disabled]), select, textarea')
        || dialog.querySelector('[data-close-dialog]') || dialog.querySelector('button');
    if (first) {
      first.focus();
    }
  }

  // Revoke, from a token row: the page's dialog names the token, asks for the optional reason, and says when the
  // token is this very login session. Without JavaScript the row's button opens a confirmation page instead.
  var revoking = null;
  function openRevoke(button) {
    var dialog = document.getElementById('revoke-dialog');
    if (!dialog) {
      return false;
    }
    revoking = {row: button.closest('tr'), action: button.dataset.action, session: button.dataset.session === 'true'};
    dialog.querySelector('#revoke-token-name').textContent = button.dataset.name;
    dialog.querySelector('#revoke-self').hidden = !revoking.session;
    dialog.querySelector('#revoke-reason').value = '';
    openDialog(dialog);
    return true;
  }

  document.addEventListener('submit', function (e) {
    if (e.target.id !== 'revoke-form' || !revoking) {
      return;
    }
    e.preventDefault();
    var target = revoking;
    var reason = e.target.querySelector('#revoke-reason').value;
    e.target.closest('dialog').close();
    var values = {reason: reason};
    var name = document.getElementById('revoke-token-name').textContent;
    htmx.ajax('POST', target.action, {source: target.row, target: target.row, swap: 'outerHTML', values: values})
      .then(function () {
        var notice = document.getElementById('action-notice');
        if (notice) {
          notice.textContent = 'Token ' + name + ' has been revoked.';
        }
        if (target.session) {
          // The session this page ran on has ended: the next page asks for a login.
          window.location.reload();
        }
      });
  });

  document.addEventListener('click', function (e) {
    var confirm = e.target.closest('[data-confirm]');
    if (confirm) {
      var confirmDialog = document.getElementById(confirm.dataset.confirm);
      if (confirmDialog) {
        e.preventDefault();
        openDialog(confirmDialog);
      }
    }
    var revoke = e.target.closest('[data-revoke]');
    if (revoke && openRevoke(revoke)) {
      e.preventDefault();
    }
    var opener = e.target.closest('[data-open-dialog]');
    if (opener) {
      var dialog = document.getElementById(opener.dataset.openDialog);
      if (dialog && !dialog.open) {
        dialog.showModal();
      }
    }
    var closer = e.target.closest('[data-close-dialog]');
    if (closer) {
      var closing = closer.closest('dialog');
      if (closing) {
        // a link is where a page without the dialog goes instead
        e.preventDefault();
        closing.close();
      } else if (!closer.href) {
        // the same form as a page of its own (a confirmation opened without the dialog)
        window.history.back();
      }
    }
    // A pane's Close or Cancel: it goes, and the focus returns to the button that opens it again.
    var dismiss = e.target.closest('[data-dismiss]');
    if (dismiss) {
      var pane = document.querySelector(dismiss.dataset.dismiss);
      if (pane) {
        // the link reloads the page where a pane cannot go by itself (a page without this script)
        e.preventDefault();
        pane.remove();
      }
      var again = document.getElementById('add-token-button');
      if (again) {
        again.focus();
      }
    }
    var copy = e.target.closest('[data-copy]');
    if (copy) {
      var source = document.querySelector(copy.dataset.copy);
      var text = source.value !== undefined ? source.value : source.textContent;
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () {
          announce(copy, 'Copied to the clipboard.');
        }, function () {
          copyBySelection(copy, source, text);
        });
      } else {
        // Plain HTTP on another host than localhost has no Clipboard API: copy the selection instead.
        copyBySelection(copy, source, text);
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

  // What htmx put into an open dialog or a pane takes the focus: a new token's value (to copy it), else the first
  // field that was refused, else the first field.
  document.addEventListener('htmx:afterSwap', function (e) {
    var target = e.detail.target;
    var place = target.isConnected ? target.closest('dialog[open]') : null;
    if (!place && (target.id === 'create-token-pane' || target.id === 'new-token-pane')) {
      place = document.getElementById('token-created') || document.getElementById('create-token-pane');
    }
    if (!place) {
      return;
    }
    var focus = place.querySelector('#created-token-value') || place.querySelector('[aria-invalid=true]')
        || place.querySelector('input:not([type=hidden]):not([disabled]), select, textarea');
    if (focus) {
      focus.focus();
    }
  });

  // On a narrow screen the navigation starts folded into its Menu (the page comes with it open, for a browser
  // without this script); on a wide one it is always open, its summary hidden.
  var narrow = window.matchMedia('(max-width: 720px)');
  function foldMenu() {
    var menu = document.querySelector('.nav-menu');
    if (menu) {
      menu.open = !narrow.matches;
    }
  }
  document.addEventListener('DOMContentLoaded', foldMenu);
  narrow.addEventListener('change', foldMenu);

  // The Config tab's Value field says the format of the key chosen.
  document.addEventListener('change', function (e) {
    if (e.target.id === 'config-key') {
      var option = e.target.selectedOptions[0];
      var hint = document.getElementById('config-value-hint');
      if (option && hint) {
        hint.textContent = option.dataset.format;
        document.getElementById('config-value').placeholder = option.dataset.example;
      }
    }
  });

  // Typing a new expiry date for a rotation chooses it.
  document.addEventListener('input', function (e) {
    if (e.target.id === 'rotate-expiry') {
      var choose = document.getElementById('rotate-choose');
      if (choose) {
        choose.checked = true;
      }
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

  // Live tokens. The stream names each token that changed: the page re-renders that token's row or, for a
  // token it does not show, reloads its list (with the list's filter); HX-Trigger: tokens-changed, the
  // server's answer to a write made on this page, reloads the list too. One such request runs at a time, and
  // what changes meanwhile is noted and fetched after it, into the row or list the page has then. htmx's own
  // queue (hx-sync) could not do this: it keeps the queue, and the trigger's listener, on the element that a
  // reload replaces, so a reload queued behind another was dropped along with the old element, and one
  // triggered before htmx had processed the new element (at the end of its settle delay) found no listener;
  // the list then kept a state older than the last change.
  var stale = {list: false, rows: new Set()};
  var fetching = false;

  function refresh() {
    if (fetching) {
      return;
    }
    var next = nextFetch();
    if (next) {
      fetching = true;
      next.then(function () {
        fetching = false;
        refresh();
      });
    }
  }

  // The request for the next stale row the page shows, else for its list; null when nothing is stale.
  function nextFetch() {
    while (!stale.list && stale.rows.size > 0) {
      var id = stale.rows.values().next().value;
      stale.rows.delete(id);
      var row = document.getElementById('token-' + id);
      if (row) {
        return fetchInto(row, row.dataset.rowUrl, function () {
          stale.rows.add(id);
        });
      }
      stale.list = true;
    }
    var list = stale.list && document.querySelector('[data-list-url]');
    stale.list = false;
    if (!list) {
      return null;
    }
    // The reloaded list shows each of its rows as it is now.
    stale.rows.clear();
    var filter = list.dataset.listFilter && document.querySelector(list.dataset.listFilter);
    var url = list.dataset.listUrl + (filter ? '?' + new URLSearchParams(new FormData(filter)) : '');
    return fetchInto(list, url, function () {
      stale.list = true;
    });
  }

  // Fetches url into target's place; resolves when done, failed or not. When something else (a filter, a
  // Revoke) replaced target while the request ran, htmx drops the answer, which has nowhere to go: noteAgain
  // marks it stale so that it is fetched into the new element.
  function fetchInto(target, url, noteAgain) {
    var replaced = false;
    target.addEventListener('htmx:beforeSwap', function () {
      replaced = !target.isConnected;
    }, {once: true});
    return htmx.ajax('GET', url, {source: target, target: target, swap: 'outerHTML'}).then(function () {
      if (replaced) {
        noteAgain();
      }
    }, function () {
      // The server did not answer; the stream reconnects, and later changes come over it.
    });
  }

  document.addEventListener('tokens-changed', function () {
    stale.list = true;
    refresh();
  });

  document.addEventListener('DOMContentLoaded', function () {
    var live = document.querySelector('[data-live-tokens]');
    if (!live || !window.EventSource) {
      return;
    }
    var stream = null;
    var retry = 1000;
    var leaving = false;
    // A stream the server refused (a user holds a few at most: 429) or that failed is not retried by the
    // browser: open it again later, waiting longer each time. One the server closed (a role change) the browser
    // reopens by itself.
    function connect() {
      stream = new EventSource(live.dataset.liveTokens);
      stream.onopen = function () {
        retry = 1000;
        document.body.dataset.live = 'open';
      };
      stream.onerror = function () {
        if (stream.readyState === EventSource.CLOSED && !leaving) {
          document.body.dataset.live = 'closed';
          setTimeout(connect, retry);
          retry = Math.min(retry * 2, 60000);
        }
      };
      stream.addEventListener('token', function (event) {
        stale.rows.add(JSON.parse(event.data).id);
        refresh();
      });
    }
    connect();
    window.addEventListener('pagehide', function () {
      leaving = true;
      stream.close();
    });
  });
})();
