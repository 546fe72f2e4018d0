using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Integrations.ApiClients;
using Portal.Integrations.Shared;
using Portal.Integrations.Webhooks;
using Wolverine.Marten;

namespace Portal.Integrations.Pages.Console;

/// <summary>
/// The owner's Integrations page: API clients (create, rotate the secret, revoke) and webhook endpoints (subscribe,
/// the delivery log with "Send again", enable, remove, the private-network setting). It runs the same slices as the
/// JSON endpoints. Every action that succeeds redirects back here (Post/Redirect/Get), so reloading the page never
/// posts again: a new secret rides along in TempData (the browser's cookie, protected with Data Protection, deleted once
/// read), so it is shown on the one page after the redirect and never stored in the clear on the server.
/// </summary>
[Authorize(Policy = PortalPolicies.Owner)]
public sealed class IntegrationsModel(IDocumentSession session, IMartenOutbox outbox, WebhookTargets targets,
    IDataProtectionProvider protection, TimeProvider clock) : PageModel
{
    public IReadOnlyList<ApiClientView> Clients { get; private set; } = [];
    public IReadOnlyList<(WebhookEndpointView Endpoint, WebhookDeliveryView[] Deliveries)> Endpoints { get; private set; } = [];
    public bool AllowPrivateNetworkTargets { get; private set; }

    /// <summary>Shown once, after creating a client or rotating its secret.</summary>
    public ApiClientCredentials? NewCredentials { get; private set; }

    /// <summary>Shown once, after subscribing an endpoint.</summary>
    public WebhookEndpointCreated? NewEndpoint { get; private set; }

    public string? Message { get; private set; }
    public bool Refused { get; private set; }

    [BindProperty] public string? ClientName { get; set; }
    [BindProperty] public List<string> ClientScopes { get; set; } = [];
    [BindProperty] public int? RequestsPerMinute { get; set; }
    [BindProperty] public string? WebhookUrl { get; set; }
    [BindProperty] public List<string> WebhookEvents { get; set; } = [];

    private CurrentUser Owner => CurrentUser.From(User)!;

    private ManageContext Manage => new(HttpContext, session, clock);

    /// <summary>What the last action did, carried over its redirect.</summary>
    [TempData] public string? Flash { get; set; }

    /// <summary>A secret made by the last action (JSON of the credentials or the endpoint), carried over its redirect once.</summary>
    [TempData] public string? ShownOnce { get; set; }

    public async Task OnGetAsync()
    {
        Message = Flash;
        if (ShownOnce is { } secret)
        {
            NewCredentials = secret.Contains("\"clientSecret\"", StringComparison.Ordinal)
                ? System.Text.Json.JsonSerializer.Deserialize<ApiClientCredentials>(secret, Web)
                : null;
            NewEndpoint = NewCredentials is null ? System.Text.Json.JsonSerializer.Deserialize<WebhookEndpointCreated>(secret, Web) : null;
        }
        await LoadAsync();
    }

    public async Task<IActionResult> OnPostCreateClientAsync()
    {
        var outcome = await CreateApiClientEndpoint.CreateAsync(
            new CreateApiClient(ClientName ?? string.Empty, [.. ClientScopes], RequestsPerMinute), Manage);
        if (!outcome.Succeeded) return await ShowAsync(outcome.Problem(), outcome.Refusal, "clientForm");
        await session.SaveChangesAsync();
        return Done($"{outcome.Value!.Client.Name} can now ask for tokens.", outcome.Value);
    }

    public async Task<IActionResult> OnPostRotateAsync(Guid apiClientId)
    {
        var outcome = await ManageApiClientEndpoints.RotateAsync(apiClientId, Manage);
        if (outcome is { Succeeded: false, Refusal.IsNotFound: true }) return NotFound();
        if (!outcome.Succeeded) return await ShowAsync(outcome.Problem(), outcome.Refusal);
        await session.SaveChangesAsync();
        return Done("The new secret is below; the old one and its tokens no longer work.", outcome.Value);
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid apiClientId)
    {
        var outcome = await ManageApiClientEndpoints.RevokeAsync(apiClientId, Manage);
        if (outcome is { Succeeded: false, Refusal.IsNotFound: true }) return NotFound();
        await session.SaveChangesAsync();
        return Done($"{outcome.Value?.Name} is revoked: its secret and tokens no longer work.");
    }

    public async Task<IActionResult> OnPostSubscribeAsync()
    {
        var outcome = await SubscribeWebhookEndpoint.SubscribeAsync(new SubscribeWebhook(WebhookUrl ?? string.Empty, [.. WebhookEvents]),
            Manage, targets, protection);
        if (!outcome.Succeeded) return await ShowAsync(outcome.Problem(), outcome.Refusal, "webhookForm");
        await session.SaveChangesAsync();
        return Done("The endpoint is subscribed.", outcome.Value);
    }

    public async Task<IActionResult> OnPostResendAsync(Guid endpointId, Guid deliveryId)
    {
        var (outcome, messages) = await ManageWebhookEndpoints.ResendAsync(endpointId, deliveryId, Manage);
        if (outcome is { Succeeded: false, Refusal.IsNotFound: true }) return NotFound();
        if (!outcome.Succeeded) return await ShowAsync(outcome.Problem(), outcome.Refusal);
        await outbox.CommitAsync(session, messages);
        return Done("Sending again: the log below shows each attempt.");
    }

    public async Task<IActionResult> OnPostEnableAsync(Guid endpointId)
    {
        var outcome = await ManageWebhookEndpoints.EnableAsync(endpointId, Manage);
        if (!outcome.Succeeded) return NotFound();
        await session.SaveChangesAsync();
        return Done("The endpoint is enabled again.");
    }

    public async Task<IActionResult> OnPostRemoveAsync(Guid endpointId)
    {
        var outcome = await ManageWebhookEndpoints.RemoveAsync(endpointId, Manage);
        if (!outcome.Succeeded) return NotFound();
        await session.SaveChangesAsync();
        return Done("The endpoint is removed.");
    }

    public async Task<IActionResult> OnPostSettingsAsync(bool allowPrivateNetworkTargets)
    {
        await ManageWebhookEndpoints.SaveSettingsAsync(new IntegrationSettings(allowPrivateNetworkTargets), Manage);
        await session.SaveChangesAsync();
        return Done(allowPrivateNetworkTargets
            ? "Webhooks may now target addresses on the practice's private network."
            : "Webhooks may target public internet addresses only.");
    }

    private static readonly System.Text.Json.JsonSerializerOptions Web = new(System.Text.Json.JsonSerializerDefaults.Web);

    /// <summary>The redirect after a success, with its message and any secret to show on the next page only.</summary>
    private RedirectToPageResult Done(string message, object? secret = null)
    {
        Flash = message;
        ShownOnce = secret is null ? null : System.Text.Json.JsonSerializer.Serialize(secret, secret.GetType(), Web);
        return RedirectToPage();
    }

    private async Task<IActionResult> ShowAsync(string? message, Refusal? refusal, string? prefix = null)
    {
        if (refusal is not null)
        {
            foreach (var (field, messages) in refusal.Errors ?? new Dictionary<string, string[]>())
                foreach (var text in messages) ModelState.AddModelError($"{prefix}.{field}", text);
        }
        Message = message;
        Refused = refusal is not null;
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        Clients = await ManageApiClientEndpoints.ListAsync(Owner, session);
        var endpoints = await ManageWebhookEndpoints.ListAsync(Owner, session);
        var withDeliveries = new List<(WebhookEndpointView, WebhookDeliveryView[])>();
        foreach (var endpoint in endpoints)
        {
            var deliveries = await ManageWebhookEndpoints.DeliveriesAsync(endpoint.Id, Owner, session);
            withDeliveries.Add((endpoint, deliveries.Value?.Take(10).ToArray() ?? []));
        }
        Endpoints = withDeliveries;
        AllowPrivateNetworkTargets = (await session.LoadAsync<IntegrationsPractice>(Owner.PracticeId!.Value))?.AllowPrivateNetworkTargets == true;
    }

    /// <summary>A time in the reader's zone (PortalTime), or "Never".</summary>
    public string When(DateTimeOffset? at) => at is { } value ? HttpContext.DateTime(value) : "Never";
}
