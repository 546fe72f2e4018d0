using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Reliability;

/// <summary>A signed-in person of the reliability suites: their session cookie ("portal.session=...").</summary>
internal sealed record Session(Guid Id, string Email, string Cookie);

/// <summary>
/// Plain HTTP to a host process: no cookie jar (the session cookie is marked Secure in Production, so it is sent by
/// hand, as a browser behind the TLS proxy would), JSON in and out.
/// </summary>
/// <param name="clockOffset">How far the host's clock is ahead of the real time (a test clock): codes are typed for it.</param>
internal sealed class PortalApi(Uri baseAddress, Func<TimeSpan>? clockOffset = null) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseCookies = false, PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(30),
    };

    public Uri BaseAddress => baseAddress;

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, object? body = null, string? cookie = null,
        CancellationToken cancellation = default)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null) request.Content = JsonContent.Create(body);
        if (cookie is not null) request.Headers.Add("Cookie", cookie);
        return await _http.SendAsync(request, cancellation);
    }

    /// <summary>Sends and demands <paramref name="status"/>; returns the JSON body (or null when there is none).</summary>
    public async Task<JsonNode?> ExpectAsync(HttpMethod method, string url, object? body, string? cookie, HttpStatusCode status)
    {
        using var response = await SendAsync(method, url, body, cookie);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != status)
            throw new InvalidOperationException($"{method} {url} answered {(int)response.StatusCode}, expected {(int)status}: {text}");
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    /// <summary>
    /// Sends until the answer is <paramref name="status"/>: for steps that wait on a message another module handles
    /// (the roster reaching the account module, say). Other answers and refused connections are retried.
    /// </summary>
    public async Task<JsonNode?> EventuallyAsync(HttpMethod method, string url, object? body, string? cookie, HttpStatusCode status,
        TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        string last = "no answer";
        while (true)
        {
            try
            {
                using var response = await SendAsync(method, url, body, cookie);
                var text = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == status) return text.Length == 0 ? null : JsonNode.Parse(text);
                last = $"{(int)response.StatusCode} {text}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{method} {url} never answered {(int)status}; last: {last}");
            await Task.Delay(200);
        }
    }

    /// <summary>
    /// Signs in; a staff login types a code from the authenticator app it set up at its first sign-in here (the gate
    /// holds a staff session until then), the next step's code when this step's was used already.
    /// </summary>
    public async Task<Session> SignInAsync(string email, string password = Actors.DefaultPassword)
    {
        var now = HostNow();
        var secret = Secrets.GetValueOrDefault(email);
        var response = await SendAsync(HttpMethod.Post, "/api/account/sign-in",
            new { email, password, code = secret is null ? null : SecondFactors.CodeAt(secret, now) });
        if (secret is not null && response.StatusCode == HttpStatusCode.Unauthorized)
        {
            response.Dispose();
            response = await SendAsync(HttpMethod.Post, "/api/account/sign-in",
                new { email, password, code = SecondFactors.CodeAt(secret, now.AddSeconds(30)) });
        }
        using var answer = response;
        var text = await answer.Content.ReadAsStringAsync();
        if (answer.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"Sign-in of {email} answered {(int)answer.StatusCode}: {text}");
        var cookie = SessionCookie(answer) ?? throw new InvalidOperationException("Sign-in gave no session cookie.");
        if (JsonNode.Parse(text)?["secondFactorRequired"]?.GetValue<bool>() == true) cookie = await EnrolAsync(email, cookie);
        var me = await ExpectAsync(HttpMethod.Get, "/api/account/me", null, cookie, HttpStatusCode.OK);
        return new Session(me!["userId"]!.GetValue<Guid>(), email, cookie);
    }

    private DateTimeOffset HostNow() => DateTimeOffset.UtcNow + (clockOffset?.Invoke() ?? TimeSpan.Zero);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Secrets = new(StringComparer.OrdinalIgnoreCase)
    {
        [PortalProcess.SupportEmail] = PortalProcess.SupportAuthenticatorKey,
    };

    /// <summary>Sets up an authenticator app through the endpoints; returns the renewed cookie of the proved session.</summary>
    private async Task<string> EnrolAsync(string email, string cookie)
    {
        var secret = (await ExpectAsync(HttpMethod.Post, "/api/account/authenticator", null, cookie, HttpStatusCode.OK))!["secret"]!
            .GetValue<string>();
        using var confirmed = await SendAsync(HttpMethod.Post, "/api/account/authenticator/confirm",
            new { code = SecondFactors.CodeAt(secret, HostNow()) }, cookie);
        if (confirmed.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"Enrolment of {email} answered {(int)confirmed.StatusCode}");
        Secrets[email] = secret;
        return SessionCookie(confirmed) ?? cookie;
    }

    public static string? SessionCookie(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.Select(c => c.Split(';')[0])
                .LastOrDefault(c => c.StartsWith("portal.session=", StringComparison.Ordinal) && c.Length > "portal.session=".Length)
            : null;

    public void Dispose() => _http.Dispose();
}

/// <summary>People created through the real endpoints of a host process, the way <see cref="Actors"/> does in process.</summary>
internal static class ReliabilityPeople
{
    public sealed record Provider(Guid PracticeId, Guid ProviderId, string Email, string Cookie);

    public sealed record Client(Guid ClientId, string Email, DateOnly DateOfBirth, string Cookie);

    public static async Task<Provider> NewProviderAsync(this PortalApi api, Session support, string tag)
    {
        var email = $"provider-{tag}-{Guid.NewGuid():N}"[..40] + "@reliability.test";
        var created = await api.ExpectAsync(HttpMethod.Post, "/api/support/practices",
            new { practiceName = $"Harbor Counseling {tag}", providerName = "Pat Provider", providerEmail = email }, support.Cookie,
            HttpStatusCode.Created);
        var providerId = created!["providerId"]!.GetValue<Guid>();
        await api.EventuallyAsync(HttpMethod.Put, $"/api/support/providers/{providerId}/portal-access", new { enabled = true }, support.Cookie,
            HttpStatusCode.OK);
        // The provider's account exists once the account module has handled the roster message.
        await api.EventuallyAsync(HttpMethod.Put, $"/api/support/providers/{providerId}/password", new { password = Actors.DefaultPassword },
            support.Cookie, HttpStatusCode.NoContent);
        var session = await api.SignInAsync(email);
        return new Provider(created["practiceId"]!.GetValue<Guid>(), providerId, email, session.Cookie);
    }

    /// <summary>A client on the roster, invited by the provider, activated from the emailed link, signed in.</summary>
    public static async Task<Client> NewClientAsync(this PortalApi api, Provider provider, MailCapture mail, string tag)
    {
        var email = $"client-{tag}-{Guid.NewGuid():N}"[..40] + "@reliability.test";
        var born = new DateOnly(1988, 3, 9);
        var added = await api.ExpectAsync(HttpMethod.Post, "/api/console/clients",
            new { firstName = "Casey", lastName = $"Client{tag}", email, dateOfBirth = born }, provider.Cookie, HttpStatusCode.Created);
        var clientId = added!["clientId"]!.GetValue<Guid>();
        await api.EventuallyAsync(HttpMethod.Post, $"/api/console/clients/{clientId}/invitation", null, provider.Cookie, HttpStatusCode.OK);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (mail.To(email).Count == 0)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"No invitation email reached {email}.");
            await Task.Delay(100);
        }
        var link = MailCapture.LinkIn(mail.To(email)[0], "http") ?? throw new InvalidOperationException("The invitation has no link.");
        var token = Uri.UnescapeDataString(new Uri(link).Query.TrimStart('?').Split('&')
            .Select(p => p.Split('=', 2))
            .Single(p => p[0] == "token")[1]);
        await api.ExpectAsync(HttpMethod.Post, "/api/account/activate", new { token, dateOfBirth = born, password = Actors.DefaultPassword }, null,
            HttpStatusCode.OK);
        var session = await api.SignInAsync(email);
        return new Client(clientId, email, born, session.Cookie);
    }

    public static object Plan(long expectedVersion, string memberId) => new
    {
        expectedVersion,
        payerId = "aetna",
        planName = "Open Access Choice POS II",
        memberId,
        groupNumber = "0098765",
        subscriber = new { isClient = true },
    };

    public static long Version(JsonNode? body) => body!["version"]!.GetValue<long>();

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
