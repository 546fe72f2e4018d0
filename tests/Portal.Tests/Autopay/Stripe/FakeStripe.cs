using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Portal.Tests.Autopay.Stripe;

/// <summary>
/// A local HTTP server that answers the Stripe REST endpoints the portal's Stripe gateway calls (customers,
/// setup_intents, payment_intents, payment_methods, refunds), with bodies shaped as Stripe's API reference documents
/// them, reached through Stripe.net's configurable API base. Like Stripe it needs the secret key, replays a POST sent
/// again with the same Idempotency-Key and refuses the key reused with other parameters (idempotency_error); stricter
/// than Stripe, it refuses a POST that creates customers, PaymentIntents or refunds without an Idempotency-Key, so a
/// test fails if the gateway forgets one. <see cref="ConfirmSetup"/> does what Stripe.js does in the browser when the
/// client confirms the Payment Element: the card number stays here, the portal only ever sees the SetupIntent id.
/// </summary>
public sealed class FakeStripe : IAsyncDisposable
{
    public const string SecretKey = "sk_test_portalfake";
    public const string PublishableKey = "pk_test_portalfake";
    public const string WebhookSecret = "whsec_portal_fake_secret";

    private readonly ConcurrentDictionary<string, JsonObject> _objects = new();
    private readonly ConcurrentDictionary<string, (string Parameters, int Status, string Body)> _idempotent = new();
    private readonly ConcurrentDictionary<string, CardBehaviour> _cards = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly Lock _lock = new();
    private WebApplication? _app;

    public string ApiBase { get; private set; } = string.Empty;

    /// <summary>Every request the portal made, in order.</summary>
    public IReadOnlyCollection<RecordedRequest> Requests => _requests;

    /// <summary>How the fake answers when Stripe is down (every request a 500 api_error).</summary>
    public bool Unavailable { get; set; }

    public sealed record RecordedRequest(string Method, string Path, string? IdempotencyKey, IReadOnlyDictionary<string, string> Form);

    /// <summary>A documented Stripe test card's behaviour: its brand, funding and what an off-session charge answers.</summary>
    public sealed record CardBehaviour(string Brand, string Last4, string Funding, string? ChargeErrorCode, string? DeclineCode, string? Message)
    {
        /// <summary>The issuer number, which Stripe includes only for accounts it enables it for (null: not sent).</summary>
        public string? Iin { get; init; }
    }

    /// <summary>Stripe's test card numbers the tests use (docs.stripe.com/testing).</summary>
    public static CardBehaviour Card(string number) => number switch
    {
        "4242424242424242" => new("visa", "4242", "credit", null, null, null),
        "5555555555554444" => new("mastercard", "4444", "credit", null, null, null),
        "4000056655665556" => new("visa", "5556", "debit", null, null, null),
        // Charges after the card is saved are declined.
        "4000000000000341" => new("visa", "0341", "credit", "card_declined", "generic_decline", "Your card was declined."),
        // Off-session payments need the cardholder's authentication.
        "4000002760003184" => new("visa", "3184", "credit", "authentication_required", "authentication_required",
            "Your card was declined. This transaction requires authentication."),
        // Health-spending cards (not Stripe test numbers; the sandbox's test BINs): debit or prepaid to Stripe, told
        // apart only by the issuer number when the account receives it, or not at all without it.
        "4099990000000006" => new("visa", "0006", "prepaid", null, null, null) { Iin = "409999" },
        "5599990000000008" => new("mastercard", "0008", "debit", null, null, null) { Iin = "559999" },
        "4099990000000014" => new("visa", "0014", "prepaid", null, null, null),
        _ => throw new ArgumentException($"Not a test card the fake knows: {number}"),
    };

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(HandleAsync);
        await _app.StartAsync();
        ApiBase = _app.Urls.First().TrimEnd('/');
    }

    public void Clear()
    {
        _objects.Clear();
        _idempotent.Clear();
        _cards.Clear();
        _requests.Clear();
        Unavailable = false;
    }

    public JsonObject Object(string id) => _objects[id];

    public IEnumerable<JsonObject> ObjectsOf(string type) => _objects.Values.Where(o => (string?)o["object"] == type);

    /// <summary>What Stripe.js does when the client confirms the Payment Element: the SetupIntent succeeds with a new card.</summary>
    public string ConfirmSetup(string clientSecret, string number, int expMonth, int expYear)
    {
        var setupId = clientSecret[..clientSecret.IndexOf("_secret_", StringComparison.Ordinal)];
        var setup = _objects[setupId];
        var card = Card(number);
        var pm = NewId("pm");
        _cards[pm] = card;
        _objects[pm] = new JsonObject
        {
            ["id"] = pm, ["object"] = "payment_method", ["type"] = "card", ["created"] = Now(), ["livemode"] = false,
            ["customer"] = (string?)setup["customer"], ["metadata"] = new JsonObject(),
            ["billing_details"] = new JsonObject { ["address"] = new JsonObject { ["postal_code"] = "97201" }, ["name"] = null, ["email"] = null },
            ["card"] = new JsonObject
            {
                ["brand"] = card.Brand, ["last4"] = card.Last4, ["exp_month"] = expMonth, ["exp_year"] = expYear,
                ["funding"] = card.Funding, ["country"] = "US", ["iin"] = card.Iin,
                ["checks"] = new JsonObject { ["cvc_check"] = "pass", ["address_postal_code_check"] = "pass" },
            },
        };
        setup["payment_method"] = pm;
        setup["status"] = "succeeded";
        return setupId;
    }

    /// <summary>A Stripe event as the webhook receives it (https://docs.stripe.com/api/events/object).</summary>
    public static string Event(string type, JsonObject data, long created, string? id = null) => new JsonObject
    {
        ["id"] = id ?? NewId("evt"), ["object"] = "event", ["api_version"] = global::Stripe.StripeConfiguration.ApiVersion,
        ["created"] = created, ["livemode"] = false, ["pending_webhooks"] = 1, ["type"] = type,
        ["request"] = new JsonObject { ["id"] = null, ["idempotency_key"] = null },
        ["data"] = new JsonObject { ["object"] = JsonNode.Parse(data.ToJsonString()) },
    }.ToJsonString();

    /// <summary>
    /// The Stripe-Signature header exactly as Stripe makes it (https://docs.stripe.com/webhooks#verify-manually):
    /// <c>t=timestamp,v1=hex(HMAC-SHA256(secret, "timestamp.payload"))</c>.
    /// </summary>
    public static string Sign(string payload, long timestamp, string secret = WebhookSecret)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{payload}"));
        return $"t={timestamp},v1={Convert.ToHexStringLower(mac)}";
    }

    private async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        if (request.HasFormContentType)
            foreach (var (key, value) in await request.ReadFormAsync()) form[key] = value.ToString();
        foreach (var (key, value) in request.Query) form[key] = value.ToString();
        string? key2 = request.Headers["Idempotency-Key"].ToString() is { Length: > 0 } k ? k : null;
        _requests.Enqueue(new RecordedRequest(request.Method, request.Path, key2, form));

        if (request.Headers.Authorization.ToString() != $"Bearer {SecretKey}")
        {
            await Error(http, 401, "invalid_request_error", null, "Invalid API Key provided.");
            return;
        }
        if (Unavailable)
        {
            await Error(http, 500, "api_error", null, "An unknown error occurred.");
            return;
        }

        var parameters = string.Join('&', form.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
        if (request.Method == "POST" && key2 is not null)
        {
            if (_idempotent.TryGetValue(key2, out var earlier))
            {
                if (earlier.Parameters != parameters)
                {
                    await Error(http, 400, "idempotency_error", null,
                        "Keys for idempotent requests can only be used with the same parameters they were first used with.");
                    return;
                }
                http.Response.Headers["Idempotent-Replayed"] = "true";
                await Write(http, earlier.Status, earlier.Body);
                return;
            }
        }

        int status;
        string body;
        lock (_lock)
        {
            (status, body) = Answer(request.Method, request.Path.Value!, form, key2);
        }
        if (request.Method == "POST" && key2 is not null && status != 400) _idempotent[key2] = (parameters, status, body);
        await Write(http, status, body);
    }

    private (int, string) Answer(string method, string path, Dictionary<string, string> form, string? idempotencyKey)
    {
        var parts = path.Trim('/').Split('/');
        bool NeedsKey() => idempotencyKey is null;
        switch (method, parts)
        {
            case ("POST", ["v1", "customers"]):
                if (NeedsKey()) return MissingKey();
                var customer = new JsonObject
                {
                    ["id"] = NewId("cus"), ["object"] = "customer", ["created"] = Now(), ["livemode"] = false,
                    ["email"] = null, ["name"] = null, ["metadata"] = Metadata(form),
                };
                return Created(customer);
            case ("POST", ["v1", "setup_intents"]):
            {
                if (!form.TryGetValue("customer", out var cus) || !_objects.ContainsKey(cus))
                    return Missing("customer", form.GetValueOrDefault("customer"));
                var id = NewId("seti");
                return Created(new JsonObject
                {
                    ["id"] = id, ["object"] = "setup_intent", ["client_secret"] = $"{id}_secret_{NewId("s")[2..]}",
                    ["created"] = Now(), ["livemode"] = false, ["customer"] = cus, ["status"] = "requires_payment_method",
                    ["usage"] = form.GetValueOrDefault("usage", "off_session"), ["payment_method"] = null,
                    ["payment_method_types"] = new JsonArray("card"), ["metadata"] = Metadata(form),
                    ["last_setup_error"] = null, ["next_action"] = null,
                });
            }
            case ("GET", ["v1", "setup_intents", var id]):
            {
                if (!_objects.TryGetValue(id, out var setup) || !id.StartsWith("seti_", StringComparison.Ordinal)) return Missing("intent", id);
                var copy = JsonNode.Parse(setup.ToJsonString())!.AsObject();
                if (form.Any(p => p.Key.StartsWith("expand", StringComparison.Ordinal) && p.Value == "payment_method")
                    && (string?)setup["payment_method"] is { } pm)
                    copy["payment_method"] = JsonNode.Parse(_objects[pm].ToJsonString());
                return (200, copy.ToJsonString());
            }
            case ("POST", ["v1", "payment_intents"]):
                return CreatePaymentIntent(form, NeedsKey());
            case ("POST", ["v1", "payment_methods", var id, "detach"]):
            {
                if (!_objects.TryGetValue(id, out var pm)) return Missing("payment_method", id);
                if ((string?)pm["customer"] is null)
                    return (400, ErrorBody("invalid_request_error", "payment_method_unexpected_state",
                        "The payment method you provided is not attached to a customer so detachment is impossible."));
                pm["customer"] = null;
                return (200, pm.ToJsonString());
            }
            case ("POST", ["v1", "refunds"]):
            {
                if (NeedsKey()) return MissingKey();
                var piId = form.GetValueOrDefault("payment_intent");
                if (piId is null || !_objects.TryGetValue(piId, out var pi) || (string?)pi["status"] != "succeeded")
                    return Missing("payment_intent", piId);
                var amount = form.TryGetValue("amount", out var a) ? long.Parse(a) : (long)pi["amount"]!;
                var charge = _objects[(string)pi["latest_charge"]!];
                var refunded = (long)charge["amount_refunded"]!;
                if (refunded + amount > (long)pi["amount"]!)
                    return (400, ErrorBody("invalid_request_error", "charge_already_refunded",
                        $"Refund amount ({amount}) is greater than unrefunded amount on charge."));
                charge["amount_refunded"] = refunded + amount;
                charge["refunded"] = refunded + amount == (long)pi["amount"]!;
                return Created(new JsonObject
                {
                    ["id"] = NewId("re"), ["object"] = "refund", ["amount"] = amount, ["currency"] = (string?)pi["currency"],
                    ["charge"] = (string?)charge["id"], ["payment_intent"] = piId, ["created"] = Now(), ["status"] = "succeeded",
                    ["reason"] = form.GetValueOrDefault("reason"), ["metadata"] = Metadata(form),
                });
            }
            default:
                return (404, ErrorBody("invalid_request_error", null, $"Unrecognized request URL ({method}: {path})."));
        }
    }

    private (int, string) CreatePaymentIntent(Dictionary<string, string> form, bool missingKey)
    {
        if (missingKey) return MissingKey();
        if (form.GetValueOrDefault("off_session") != "true" || form.GetValueOrDefault("confirm") != "true")
            return (400, ErrorBody("invalid_request_error", "parameter_missing", "The portal's charges are confirmed off-session."));
        var pmId = form.GetValueOrDefault("payment_method");
        if (pmId is null || !_objects.TryGetValue(pmId, out var pm)) return Missing("payment_method", pmId);
        if ((string?)pm["customer"] != form.GetValueOrDefault("customer"))
            return (400, ErrorBody("invalid_request_error", "resource_missing",
                "The provided PaymentMethod was previously used without being attached to a Customer or was detached from a Customer."));
        var card = _cards[pmId];
        var id = NewId("pi");
        var chargeId = NewId("ch");
        var amount = long.Parse(form["amount"]);
        var failed = card.ChargeErrorCode is not null;
        var error = failed
            ? new JsonObject
            {
                ["type"] = "card_error", ["code"] = card.ChargeErrorCode, ["decline_code"] = card.DeclineCode, ["message"] = card.Message,
                ["charge"] = chargeId, ["payment_method"] = JsonNode.Parse(pm.ToJsonString()),
            }
            : null;
        var pi = new JsonObject
        {
            ["id"] = id, ["object"] = "payment_intent", ["amount"] = amount, ["amount_received"] = failed ? 0 : amount,
            ["currency"] = form["currency"], ["customer"] = form["customer"], ["payment_method"] = failed ? null : pmId,
            ["status"] = failed ? "requires_payment_method" : "succeeded", ["client_secret"] = $"{id}_secret_x",
            ["created"] = Now(), ["livemode"] = false, ["latest_charge"] = chargeId, ["confirmation_method"] = "automatic",
            ["capture_method"] = "automatic", ["metadata"] = Metadata(form),
            ["last_payment_error"] = error is null ? null : JsonNode.Parse(error.ToJsonString()),
        };
        _objects[id] = pi;
        _objects[chargeId] = new JsonObject
        {
            ["id"] = chargeId, ["object"] = "charge", ["amount"] = amount, ["amount_refunded"] = 0L, ["refunded"] = false,
            ["currency"] = form["currency"], ["payment_intent"] = id, ["paid"] = !failed, ["status"] = failed ? "failed" : "succeeded",
            ["created"] = Now(), ["livemode"] = false,
        };
        if (!failed) return (200, pi.ToJsonString());
        error!["payment_intent"] = JsonNode.Parse(pi.ToJsonString());
        return (402, new JsonObject { ["error"] = error }.ToJsonString());
    }

    private (int, string) Created(JsonObject created)
    {
        _objects[(string)created["id"]!] = created;
        return (200, created.ToJsonString());
    }

    private static (int, string) Missing(string param, string? id) =>
        (404, ErrorBody("invalid_request_error", "resource_missing", $"No such {param}: '{id}'", param));

    private static (int, string) MissingKey() =>
        (400, ErrorBody("invalid_request_error", "idempotency_key_missing", "This fake requires an Idempotency-Key on this request."));

    private static JsonObject Metadata(Dictionary<string, string> form)
    {
        var metadata = new JsonObject();
        foreach (var (key, value) in form.Where(p => p.Key.StartsWith("metadata[", StringComparison.Ordinal)))
            metadata[key["metadata[".Length..^1]] = value;
        return metadata;
    }

    private static string ErrorBody(string type, string? code, string message, string? param = null) =>
        new JsonObject { ["error"] = new JsonObject { ["type"] = type, ["code"] = code, ["message"] = message, ["param"] = param } }.ToJsonString();

    private static Task Error(HttpContext http, int status, string type, string? code, string message) =>
        Write(http, status, ErrorBody(type, code, message));

    private static async Task Write(HttpContext http, int status, string body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        http.Response.Headers["Request-Id"] = NewId("req");
        await http.Response.WriteAsync(body);
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private static string NewId(string prefix) => $"{prefix}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}";

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}
