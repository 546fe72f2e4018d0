using System.Collections.Concurrent;
using System.Net.Http.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Portal.Contracts;

namespace Portal.Host.Demo;

/// <summary>
/// Seeds a demo practice when Portal:DemoData is true (./portal run sets it), through the portal's own HTTP API as
/// support, the provider and a client would: a provider with a known password, and clients at different stages
/// (on the roster only, invited with the email waiting in the mailbox, active), and a published intake workflow
/// assigned to the invited and the active client. Runs once: a second start finds the
/// demo provider and does nothing. The sign-ins are listed in the README.
/// Staff need a second factor before any client data: support signs in with a code from the configured
/// Portal:Support:AuthenticatorKey (the README gives the demo key); the seeder sets up an authenticator app for the
/// provider to do the provider's part, then support resets it (audited), so Dr. Lee sets up their own at first sign-in,
/// as a practice trying the portal would.
/// </summary>
internal sealed class DemoData(IServer server, IConfiguration configuration, IHostApplicationLifetime lifetime,
    DemoInvitations invitations, ILogger<DemoData> logger) : IHostedService
{
    public const string ProviderEmail = "morgan.lee@demo.portal";
    public const string Password = "Demo-Portal-Password-2026";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue("Portal:DemoData", false)) return Task.CompletedTask;
        lifetime.ApplicationStarted.Register(() => _ = Task.Run(SeedAsync));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task SeedAsync()
    {
        try
        {
            var address = server.Features.Get<IServerAddressesFeature>()!.Addresses.First()
                .Replace("://+", "://localhost")
                .Replace("://[::]", "://localhost");
            using var support = Client(address);
            var supportKey = configuration["Portal:Support:AuthenticatorKey"]?.Replace(" ", string.Empty).ToUpperInvariant();
            if (string.IsNullOrEmpty(supportKey))
            {
                logger.LogWarning("Demo data needs Portal:Support:AuthenticatorKey: support signs in with a second factor");
                return;
            }
            if (!await SignInAsync(support, configuration["Portal:Support:Email"]!, configuration["Portal:Support:Password"]!,
                    code: Code(supportKey))) return;

            using var provider = Client(address);
            if (await PasswordAcceptedAsync(provider, ProviderEmail, Password))
            {
                logger.LogInformation("Demo practice already present; sign in as {Provider}", ProviderEmail);
                return;
            }

            var practice = await PostAsync<PracticeCreated>(support, "/api/support/practices",
                new { practiceName = "Harbor Counseling", providerName = "Dr. Morgan Lee", providerEmail = ProviderEmail });
            await PutAsync(support, $"/api/support/providers/{practice.ProviderId}/portal-access", new { enabled = true });
            await PutAsync(support, $"/api/support/providers/{practice.ProviderId}/password", new { password = Password });
            await SignInAsync(provider, ProviderEmail, Password);
            await EnrolAsync(provider);

            await PostAsync<ClientAdded>(provider, "/api/console/clients",
                new { firstName = "Avery", lastName = "Chen", email = "avery.chen@demo.portal", dateOfBirth = "1988-02-11" });

            var jordan = await PostAsync<ClientAdded>(provider, "/api/console/clients",
                new { firstName = "Jordan", lastName = "Patel", email = "jordan.patel@demo.portal", dateOfBirth = "1990-04-17" });
            await PostAsync(provider, $"/api/console/clients/{jordan.ClientId}/invitation");

            var riley = await PostAsync<ClientAdded>(provider, "/api/console/clients",
                new { firstName = "Riley", lastName = "Santos", email = "riley.santos@demo.portal", dateOfBirth = "1995-09-30" });
            var waiting = invitations.Expect(riley.ClientId);
            await PostAsync(provider, $"/api/console/clients/{riley.ClientId}/invitation");
            var token = await waiting.WaitAsync(TimeSpan.FromSeconds(30));
            using var rileyClient = Client(address);
            (await rileyClient.PostAsJsonAsync("/api/account/activate", new { token, dateOfBirth = "1995-09-30", password = Password }))
                .EnsureSuccessStatusCode();

            var workflow = await PostAsync<Created>(provider, "/api/workflows", new
            {
                name = "New client intake",
                stages = new object[]
                {
                    new { name = "Before the first session", tasks = new object[]
                    {
                        new { key = "insurance", kind = "AddInsurance", title = "Add your insurance", dueInDays = 5,
                            remindEveryDays = 2, maxReminders = 2 },
                        new { key = "phq9", kind = "CompleteAssessment", subjectId = "phq9", title = "Complete the PHQ-9 questionnaire",
                            dueInDays = 5 },
                    } },
                    new { name = "Payment", tasks = new object[]
                    {
                        new { key = "autopay", kind = "EnrollInAutopay", title = "Set up autopay", dueInDays = 10 },
                    } },
                },
            });
            await PostAsync(provider, $"/api/workflows/{workflow.Id}/publish?expectedRevision={workflow.Revision}");
            await UntilKnownAsync(() => provider.PostAsJsonAsync($"/api/workflows/{workflow.Id}/assignments",
                new { clientIds = new[] { riley.ClientId, jordan.ClientId } }));

            // Dr. Lee's own second factor is theirs to choose at first sign-in: the seeder's is removed, as support would.
            await PostAsync<object>(support, "/api/support/second-factor-resets", new
            {
                email = ProviderEmail,
                method = "ConfirmedByPractice",
                verification = "Demo data: the demo provider sets up their own second factor at first sign-in.",
            });

            logger.LogInformation(
                "Demo practice seeded: provider {Provider}, clients Avery (roster only), Jordan (invited), Riley (active); " +
                "workflow \"New client intake\" assigned",
                ProviderEmail);
        }
        catch (Exception exception) when (exception is HttpRequestException or TimeoutException or InvalidOperationException)
        {
            logger.LogWarning(exception, "Demo data could not be seeded");
        }
    }

    private static HttpClient Client(string address) =>
        new(new HttpClientHandler { UseCookies = true, CookieContainer = new System.Net.CookieContainer() }) { BaseAddress = new Uri(address) };

    private async Task<bool> SignInAsync(HttpClient client, string email, string password, string? code = null)
    {
        var response = await client.PostAsJsonAsync("/api/account/sign-in", new { email, password, code });
        if (!response.IsSuccessStatusCode)
            logger.LogWarning("Demo data: sign-in as {Email} failed ({Status})", email, (int)response.StatusCode);
        return response.IsSuccessStatusCode;
    }

    /// <summary>
    /// Whether the demo provider exists with the demo password: signed in, or asked for the second factor Dr. Lee set up
    /// at their first sign-in (a code or a passkey), which a demo database kept from an earlier run has.
    /// </summary>
    private static async Task<bool> PasswordAcceptedAsync(HttpClient client, string email, string password)
    {
        using var response = await client.PostAsJsonAsync("/api/account/sign-in", new { email, password });
        if (response.IsSuccessStatusCode) return true;
        if (response.StatusCode != System.Net.HttpStatusCode.Unauthorized) return false;
        var body = await response.Content.ReadAsStringAsync();
        return body.Contains("\"codeRequired\":true", StringComparison.Ordinal) || body.Contains("\"passkeyRequired\":true", StringComparison.Ordinal);
    }

    /// <summary>The code an authenticator app with this base32 key shows now.</summary>
    private static string Code(string base32Key) => new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(base32Key)).ComputeTotp(DateTime.UtcNow);

    /// <summary>Sets up an authenticator app for the signed-in client's login, as a person does on the enrolment page.</summary>
    private static async Task EnrolAsync(HttpClient client)
    {
        var setup = await PostAsync<AuthenticatorSetup>(client, "/api/account/authenticator", new { });
        await PostAsync<object>(client, "/api/account/authenticator/confirm", new { code = Code(setup.Secret) });
    }

    private sealed record AuthenticatorSetup(string Secret);

    private static async Task<T> PostAsync<T>(HttpClient client, string url, object body)
    {
        var response = await UntilKnownAsync(() => client.PostAsJsonAsync(url, body));
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }

    private static Task PostAsync(HttpClient client, string url) => UntilKnownAsync(() => client.PostAsync(url, null));

    private static Task PutAsync(HttpClient client, string url, object body) => UntilKnownAsync(() => client.PutAsJsonAsync(url, body));

    // Modules learn of a new client or provider from a message, a moment after the roster answered: a 404 right
    // after adding one means "not heard of yet", so the seeder asks again for a while before giving up.
    private static async Task<HttpResponseMessage> UntilKnownAsync(Func<Task<HttpResponseMessage>> send)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var response = await send();
            if (response.StatusCode != System.Net.HttpStatusCode.NotFound || waited.Elapsed > TimeSpan.FromSeconds(60))
                return response.EnsureSuccessStatusCode();
            response.Dispose();
            await Task.Delay(250);
        }
    }

    private sealed record PracticeCreated(Guid PracticeId, Guid ProviderId);

    private sealed record ClientAdded(Guid ClientId);

    private sealed record Created(Guid Id, int Revision);
}

/// <summary>
/// Lets the demo seeder activate its demo client the way the client would, from the link in the invitation email.
/// Does nothing unless the seeder is waiting for that client's invitation.
/// </summary>
public sealed class DemoInvitations(IDataProtectionProvider protection)
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<string>> _waiting = new();

    internal Task<string> Expect(Guid clientId) =>
        _waiting.GetOrAdd(clientId, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    internal void Offer(InvitationEmailRequested invitation)
    {
        if (!_waiting.TryRemove(invitation.ClientId, out var waiting)) return;
        var url = new Uri(protection.CreateProtector("Portal.SecretLink").Unprotect(invitation.ActivationLink.Protected));
        var token = System.Web.HttpUtility.ParseQueryString(url.Query)["token"];
        if (token is null) waiting.TrySetException(new InvalidOperationException("The invitation link has no token."));
        else waiting.TrySetResult(token);
    }
}

/// <summary>
/// Hands invitations to <see cref="DemoInvitations"/>. Not a "Handler" by name, so Wolverine finds it only where
/// <see cref="PortalApplication"/> includes it: with demo data. Anywhere else it would take a copy of every invitation
/// in an inbox envelope of its own, 10,000 of them for a workflow assigned to 10,000 clients. A build with pre-generated
/// code (TypeLoadMode.Static) has the handlers that <c>codegen write</c> found, which runs without demo data: the demo
/// is seeded by a host that generates its code at run time (<c>./portal run</c>).
/// </summary>
public static class DemoInvitationListener
{
    public static void Handle(InvitationEmailRequested invitation, DemoInvitations invitations) => invitations.Offer(invitation);
}
