// Passkeys (WebAuthn) for the sign-in page, the passkeys page and the offer after activation. The server makes every
// challenge and checks every answer; this script only carries them between the page and the browser's authenticator.
(function () {
  "use strict";

  var supported = !!(window.PublicKeyCredential && navigator.credentials && window.fetch);

  function decode(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) base64 += "=";
    var binary = atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes.buffer;
  }

  function encode(buffer) {
    var bytes = new Uint8Array(buffer);
    var binary = "";
    for (var i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function descriptors(list) {
    return (list || []).map(function (c) {
      var d = { type: c.type || "public-key", id: decode(c.id) };
      if (c.transports && c.transports.length) d.transports = c.transports;
      return d;
    });
  }

  function creationOptions(o) {
    var options = {
      rp: o.rp,
      user: { id: decode(o.user.id), name: o.user.name, displayName: o.user.displayName },
      challenge: decode(o.challenge),
      pubKeyCredParams: o.pubKeyCredParams,
      excludeCredentials: descriptors(o.excludeCredentials),
      attestation: o.attestation || "none",
    };
    if (o.timeout) options.timeout = o.timeout;
    if (o.authenticatorSelection) {
      options.authenticatorSelection = {};
      ["authenticatorAttachment", "residentKey", "requireResidentKey", "userVerification"].forEach(function (key) {
        if (o.authenticatorSelection[key] !== undefined && o.authenticatorSelection[key] !== null) {
          options.authenticatorSelection[key] = o.authenticatorSelection[key];
        }
      });
    }
    return options;
  }

  function requestOptions(o) {
    var options = { challenge: decode(o.challenge), allowCredentials: descriptors(o.allowCredentials) };
    if (o.rpId) options.rpId = o.rpId;
    if (o.timeout) options.timeout = o.timeout;
    if (o.userVerification) options.userVerification = o.userVerification;
    return options;
  }

  function credentialJson(credential) {
    var r = credential.response;
    var response = { clientDataJSON: encode(r.clientDataJSON) };
    if (r.attestationObject) {
      response.attestationObject = encode(r.attestationObject);
      if (r.getTransports) response.transports = r.getTransports();
    } else {
      response.authenticatorData = encode(r.authenticatorData);
      response.signature = encode(r.signature);
      if (r.userHandle) response.userHandle = encode(r.userHandle);
    }
    return {
      id: credential.id,
      rawId: encode(credential.rawId),
      type: credential.type,
      response: response,
      clientExtensionResults: credential.getClientExtensionResults ? credential.getClientExtensionResults() : {},
    };
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body || {}),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        return { ok: response.ok, status: response.status, body: json };
      });
    });
  }

  // Every sentence this script shows comes from the page, in the reader's language (#passkey-texts).
  var texts = JSON.parse((document.getElementById("passkey-texts") || {}).textContent || "{}");

  function said(name) {
    return texts[name] || name;
  }

  function say(container, text) {
    var status = container.querySelector("[data-passkey-status]");
    if (status) {
      status.textContent = text;
      status.hidden = !text;
    }
  }

  // The server's refusal, in the reader's language: a field's message says what to do, the title is the general word.
  function problemText(result, fallback) {
    var body = result.body || {};
    var errors = body.errors || {};
    for (var field in errors) {
      if (errors[field] && errors[field].length) return errors[field][0];
    }
    return body.title || fallback;
  }

  function cancelled(error) {
    return error && (error.name === "NotAllowedError" || error.name === "AbortError");
  }

  function localReturnUrl(container, fallback) {
    var url = container.getAttribute("data-return-url") || "";
    return url.charAt(0) === "/" && url.charAt(1) !== "/" && url.charAt(1) !== "\\" ? url : fallback;
  }

  // Answers an assertion ceremony and signs in; used by the passkey-only sign-in and the second step after a password.
  function finishSignIn(container, ceremonyId, credential) {
    return post("/api/account/sign-in/passkey", { ceremonyId: ceremonyId, credential: credentialJson(credential) })
      .then(function (result) {
        if (result.ok) {
          window.location.assign(localReturnUrl(container, result.body.redirectTo || "/"));
        } else {
          say(container, problemText(result, said("notSignedIn")));
        }
      });
  }

  // The sign-in page: passkeys offered in the email field's autofill (conditional mediation), and a button.
  function signInPage(container) {
    var button = container.querySelector("[data-passkey-button]");
    var conditional = null;

    function start(mediation) {
      var controller = new AbortController();
      return post("/api/account/sign-in/passkey/options").then(function (result) {
        if (!result.ok) throw new Error(problemText(result, said("unavailable")));
        var request = { publicKey: requestOptions(result.body.options), signal: controller.signal };
        if (mediation) request.mediation = mediation;
        var pending = navigator.credentials.get(request).then(function (credential) {
          if (credential) return finishSignIn(container, result.body.ceremonyId, credential);
        });
        return { controller: controller, pending: pending };
      });
    }

    if (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        if (conditional) conditional.abort();
        say(container, "");
        start(null).then(function (ceremony) { return ceremony.pending; }).catch(function (error) {
          if (!cancelled(error)) say(container, error.message || said("notSignedIn"));
          else say(container, said("noneChosen"));
        });
      });
    }

    if (PublicKeyCredential.isConditionalMediationAvailable) {
      PublicKeyCredential.isConditionalMediationAvailable().then(function (available) {
        if (!available) return;
        // A background offer: if it fails (no passkey here, a page opened at another address), the form still works
        // and nothing is said; the button reports its own failures.
        start("conditional").then(function (ceremony) {
          conditional = ceremony.controller;
          return ceremony.pending;
        }).catch(function () { });
      });
    }
  }

  // The second step after the right password: the server already made the ceremony for this account.
  function secondFactor(container) {
    var button = container.querySelector("[data-passkey-button]");
    var ceremonyId = container.getAttribute("data-ceremony-id");
    var options = JSON.parse(container.getAttribute("data-options"));
    button.hidden = false;
    button.addEventListener("click", function () {
      say(container, "");
      navigator.credentials.get({ publicKey: requestOptions(options) }).then(function (credential) {
        return finishSignIn(container, ceremonyId, credential);
      }).catch(function (error) {
        say(container, cancelled(error)
          ? said("noneUsed")
          : said("notSignedInAgain"));
      });
    });
  }

  // The passkeys page and the offer after activation: a new passkey for the signed-in login.
  function register(container) {
    var button = container.querySelector("[data-passkey-button]");
    var nameInput = container.querySelector("[data-passkey-name]");
    container.hidden = false;
    button.addEventListener("click", function (event) {
      event.preventDefault();
      say(container, "");
      button.disabled = true;
      post("/api/account/passkeys/options").then(function (result) {
        if (!result.ok) throw new Error(problemText(result, said("cannotAdd")));
        return navigator.credentials.create({ publicKey: creationOptions(result.body.options) }).then(function (credential) {
          var name = nameInput && nameInput.value.trim() ? nameInput.value.trim() : container.getAttribute("data-default-name");
          return post("/api/account/passkeys", {
            ceremonyId: result.body.ceremonyId, name: name || null, credential: credentialJson(credential),
          });
        });
      }).then(function (result) {
        if (!result.ok) throw new Error(problemText(result, said("notAdded")));
        window.location.assign(container.getAttribute("data-done-url") || window.location.pathname);
      }).catch(function (error) {
        button.disabled = false;
        say(container, cancelled(error) ? said("noneAdded") : error.message);
      });
    });
  }

  if (!supported) return;
  document.querySelectorAll("[data-passkey-signin]").forEach(signInPage);
  document.querySelectorAll("[data-passkey-factor]").forEach(secondFactor);
  document.querySelectorAll("[data-passkey-register]").forEach(register);
})();
