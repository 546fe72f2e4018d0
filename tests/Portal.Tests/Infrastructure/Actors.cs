using Alba;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Portal.Contracts;
using Wolverine.Tracking;

namespace Portal.Tests.Infrastructure;

/// <summary>Someone signed in: their session cookie goes on a scenario with <see cref="Actors.As"/>.</summary>
public interface ISignedIn
{
    string Cookie { get; }
}

public sealed record SupportActor(Guid UserId, string Email, string Password, string Cookie) : ISignedIn;

/// <summary>A practice member: the practice's owner (made with the practice) unless <see cref="Role"/> says otherwise.</summary>
public sealed record ProviderActor(Guid PracticeId, Guid ProviderId, string PracticeName, string Name, string Email, string Password,
    string Cookie, SupportActor Support, StaffRole Role = StaffRole.Owner) : ISignedIn;

/// <summary>A client on a provider's roster. <see cref="Cookie"/> and <see cref="Password"/> are set once they have an active account.</summary>
public sealed record ClientActor(Guid ClientId, ProviderActor Provider, string FirstName, string LastName, string Email, DateOnly DateOfBirth,
    string? Password = null, string? Cookie = null) : ISignedIn
{
    string ISignedIn.Cookie => Cookie ?? throw new InvalidOperationException("This client has no account; use Actors.NewClientWithAccountAsync.");
}

/// <summary>
/// Creates people through the real HTTP endpoints and signs them in through the real sign-in endpoint. Every actor
/// gets unique emails, so tests never collide on rate limits or unique indexes. Usage:
/// <code>
/// var provider = await Host.NewProviderAsync();
/// var client = await Host.NewClientWithAccountAsync(provider);
/// await Host.Scenario(s => { s.As(client); s.Get.Url("/api/..."); });
/// </code>
/// </summary>
public static class Actors
{
    public const string DefaultPassword = "Blue-Harbor-Lantern-42";

    /// <summary>Puts the actor's session cookie on the request.</summary>
    public static void As(this Scenario scenario, ISignedIn actor) => scenario.WithRequestHeader("Cookie", actor.Cookie);

    /// <summary>
    /// A support account, created the way the startup seeding creates the configured one (Portal:Support:*), then
    /// signed in.
    /// </summary>
    public static async Task<SupportActor> NewSupportAsync(this IAlbaHost host)
    {
        var email = $"support-{Unique()}@portal.test";
        await using (var session = host.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            await Portal.Invitations.Support.SupportAccounts.EnsureAsync(session, email, DefaultPassword, "Sam Support",
                host.Services.GetRequiredService<TimeProvider>());
        }
        var (cookie, userId) = await host.SignInAsync(email, DefaultPassword);
        return new SupportActor(userId, email, DefaultPassword, cookie);
    }

    /// <summary>
    /// A practice with one provider, created by support; the portal is switched on for the provider unless
    /// <paramref name="portalEnabled"/> is false. Support sets the provider's initial password; the provider signs in.
    /// </summary>
    public static async Task<ProviderActor> NewProviderAsync(this IAlbaHost host, bool portalEnabled = true, SupportActor? support = null)
    {
        support ??= await host.NewSupportAsync();
        var unique = Unique();
        var email = $"provider-{unique}@portal.test";
        var practiceName = $"Harbor Counseling {unique}";
        var created = await host.TrackedJsonAsync<PracticeCreatedBody>(support, "/api/support/practices",
            new { practiceName, providerName = "Pat Provider", providerEmail = email }, 201);

        if (portalEnabled)
            await host.TrackedSendAsync(support, HttpMethod.Put, $"/api/support/providers/{created.ProviderId}/portal-access",
                new { enabled = true }, 200);

        await host.TrackedSendAsync(support, HttpMethod.Put, $"/api/support/providers/{created.ProviderId}/password",
            new { password = DefaultPassword }, 204);
        var (cookie, _) = await host.SignInAsync(email, DefaultPassword);
        return new ProviderActor(created.PracticeId, created.ProviderId, practiceName, "Pat Provider", email, DefaultPassword, cookie, support);
    }

    /// <summary>
    /// Another member of <paramref name="owner"/>'s practice with <paramref name="role"/>, added by support (a clinician's
    /// portal is switched on unless <paramref name="portalEnabled"/> is false), password set by support, signed in.
    /// </summary>
    public static async Task<ProviderActor> NewMemberAsync(this IAlbaHost host, ProviderActor owner, StaffRole role,
        bool portalEnabled = true, string? name = null)
    {
        var email = $"member-{Unique()}@portal.test";
        name ??= role switch
        {
            StaffRole.Clinician => "Chris Clinician",
            StaffRole.FrontDesk => "Frankie Frontdesk",
            StaffRole.Biller => "Billie Biller",
            _ => "Olive Owner",
        };
        var added = await host.TrackedJsonAsync<MemberAddedBody>(owner.Support, $"/api/support/practices/{owner.PracticeId}/providers",
            new { name, email, role = role.ToString() }, 201);
        if (portalEnabled)
            await host.TrackedSendAsync(owner.Support, HttpMethod.Put, $"/api/support/providers/{added.ProviderId}/portal-access",
                new { enabled = true }, 200);
        await host.TrackedSendAsync(owner.Support, HttpMethod.Put, $"/api/support/providers/{added.ProviderId}/password",
            new { password = DefaultPassword }, 204);
        var (cookie, _) = await host.SignInAsync(email, DefaultPassword);
        return new ProviderActor(owner.PracticeId, added.ProviderId, owner.PracticeName, name, email, DefaultPassword, cookie, owner.Support, role);
    }

    /// <summary>A client on the provider's roster, without an account (no invitation is sent).</summary>
    public static async Task<ClientActor> AddClientAsync(this IAlbaHost host, ProviderActor provider,
        string firstName = "Casey", string lastName = "Client",
        DateOnly? dateOfBirth = null)
    {
        var email = $"client-{Unique()}@portal.test";
        var born = dateOfBirth ?? new DateOnly(1990, 4, 17);
        var added = await host.TrackedJsonAsync<ClientAddedBody>(provider, "/api/console/clients",
            new { firstName, lastName, email, dateOfBirth = born }, 201);
        return new ClientActor(added.ClientId, provider, firstName, lastName, email, born);
    }

    /// <summary>
    /// A client with an active account, the real way: the provider sends the invitation, the activation link is read
    /// from the InvitationEmailRequested message (unprotected like Notifications does), the client activates with their
    /// date of birth and a password, then signs in.
    /// </summary>
    public static async Task<ClientActor> NewClientWithAccountAsync(
        this IAlbaHost host, ProviderActor provider, string firstName = "Casey", string lastName = "Client")
    {
        var client = await host.AddClientAsync(provider, firstName, lastName);
        var token = await host.SendInvitationAsync(provider, client.ClientId);
        await host.TrackedSendAsync(null, HttpMethod.Post, "/api/account/activate",
            new { token, dateOfBirth = client.DateOfBirth, password = DefaultPassword }, 200);
        var (cookie, _) = await host.SignInAsync(client.Email, DefaultPassword);
        return client with { Password = DefaultPassword, Cookie = cookie };
    }

    /// <summary>The provider sends (or resends) the invitation; returns the raw activation token from the emailed link.</summary>
    public static async Task<string> SendInvitationAsync(this IAlbaHost host, ProviderActor provider, Guid clientId)
    {
        var tracked = await host.TrackedSendAsync(provider, HttpMethod.Post, $"/api/console/clients/{clientId}/invitation", null, 200);
        var email = tracked.AllRecordsInOrder().Select(r => r.Message).OfType<InvitationEmailRequested>().Last();
        return TokenFrom(host, email.ActivationLink);
    }

    /// <summary>Reads a SecretLink as Notifications does and returns its "token" query value.</summary>
    public static string TokenFrom(this IAlbaHost host, SecretLink link)
    {
        var url = new Uri(host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Portal.SecretLink").Unprotect(link.Protected));
        return url.Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).Single(p => p[0] == "token")[1];
    }

    /// <summary>A new session for the provider (after the test moved the clock past the old one's lifetime).</summary>
    public static async Task<ProviderActor> SignInAgainAsync(this IAlbaHost host, ProviderActor provider) =>
        provider with { Cookie = (await host.SignInAsync(provider.Email, provider.Password)).Cookie };

    /// <summary>A new session for the client, who must have an account.</summary>
    public static async Task<ClientActor> SignInAgainAsync(this IAlbaHost host, ClientActor client) =>
        client with
        {
            Cookie = (await host.SignInAsync(
                client.Email, client.Password ?? throw new InvalidOperationException("This client has no account."))).Cookie
        };

    /// <summary>
    /// Signs in through POST /api/account/sign-in; returns the session cookie ("portal.session=..."). A login the tests
    /// enrolled types its authenticator code (<see cref="SecondFactors"/>); a staff login without a second factor (the
    /// gate holds it) enrols an authenticator app first, as its first sign-in asks, and the session counts as proved.
    /// </summary>
    public static async Task<(string Cookie, Guid UserId)> SignInAsync(this IAlbaHost host, string email, string password, string? code = null)
    {
        code ??= await SecondFactors.CodeAsync(host.Services, email);
        var result = await host.Scenario(s =>
        {
            s.Post.Json(new { email, password, code }).ToUrl("/api/account/sign-in");
            s.StatusCodeShouldBeOk();
        });
        var cookie = SessionCookie(result) ?? throw new InvalidOperationException("Sign-in gave no session cookie.");
        if ((await result.ReadAsJsonAsync<SignedInBody>())!.SecondFactorRequired)
            cookie = await host.EnrolSecondFactorAsync(email, cookie);
        var me = await host.Scenario(s =>
        {
            s.WithRequestHeader("Cookie", cookie);
            s.Get.Url("/api/account/me");
            s.StatusCodeShouldBeOk();
        });
        return (cookie, (await me.ReadAsJsonAsync<MeBody>())!.UserId);
    }

    /// <summary>A sign-in with the password alone, never enrolling: a staff login's session is then held by the gate.</summary>
    public static async Task<string> SignInWithPasswordOnlyAsync(this IAlbaHost host, string email, string password = DefaultPassword)
    {
        var result = await host.Scenario(s =>
        {
            s.Post.Json(new { email, password }).ToUrl("/api/account/sign-in");
            s.StatusCodeShouldBeOk();
        });
        return SessionCookie(result) ?? throw new InvalidOperationException("Sign-in gave no session cookie.");
    }

    /// <summary>
    /// Sets up an authenticator app for the signed-in login through the real endpoints (the secret from the setup, the
    /// first code confirms it) and remembers it for later sign-ins; returns the renewed cookie, whose session is proved.
    /// </summary>
    public static async Task<string> EnrolSecondFactorAsync(this IAlbaHost host, string email, string cookie)
    {
        var setup = await host.Scenario(s =>
        {
            s.WithRequestHeader("Cookie", cookie);
            s.Post.Url("/api/account/authenticator");
            s.StatusCodeShouldBeOk();
        });
        var secret = (await setup.ReadAsJsonAsync<AuthenticatorSetupBody>())!.Secret;
        var confirmed = await host.Scenario(s =>
        {
            s.WithRequestHeader("Cookie", cookie);
            s.Post.Json(new { code = SecondFactors.EnrolmentCode(host.Services, secret) }).ToUrl("/api/account/authenticator/confirm");
            s.StatusCodeShouldBeOk();
        });
        SecondFactors.Remember(email, secret, (await confirmed.ReadAsJsonAsync<AuthenticatorEnabledBody>())!.RecoveryCodes);
        return SessionCookie(confirmed) ?? throw new InvalidOperationException("The enrolment did not renew the session cookie.");
    }

    /// <summary>The "portal.session=..." pair from a response's Set-Cookie headers, or null.</summary>
    public static string? SessionCookie(IScenarioResult result) =>
        result.Context.Response.Headers.SetCookie
            .Select(c => c!.Split(';')[0])
            .LastOrDefault(c => c.StartsWith("portal.session=", StringComparison.Ordinal) && c.Length > "portal.session=".Length);

    private static async Task<T> TrackedJsonAsync<T>(this IAlbaHost host, ISignedIn? actor, string url, object body, int status)
    {
        var (_, result) = await host.TrackedScenarioAsync(s =>
        {
            if (actor is not null) s.As(actor);
            s.Post.Json(body).ToUrl(url);
            s.StatusCodeShouldBe(status);
        });
        return (await result.ReadAsJsonAsync<T>())!;
    }

    private static async Task<ITrackedSession> TrackedSendAsync(
        this IAlbaHost host, ISignedIn? actor, HttpMethod method, string url, object? body, int status) =>
        (await host.TrackedScenarioAsync(s =>
        {
            if (actor is not null) s.As(actor);
            if (method == HttpMethod.Put) s.Put.Json(body ?? new { }).ToUrl(url);
            else if (body is null) s.Post.Url(url);
            else s.Post.Json(body).ToUrl(url);
            s.StatusCodeShouldBe(status);
        })).Tracked;

    private static string Unique() => Guid.NewGuid().ToString("N")[..10];

    private sealed record PracticeCreatedBody(Guid PracticeId, Guid ProviderId);

    private sealed record ClientAddedBody(Guid ClientId, bool Eligible);

    private sealed record MemberAddedBody(Guid ProviderId);

    private sealed record MeBody(Guid UserId, string Role);

    private sealed record SignedInBody(string Role, string RedirectTo, bool SecondFactorRequired);

    private sealed record AuthenticatorSetupBody(string Secret);

    private sealed record AuthenticatorEnabledBody(IReadOnlyList<string> RecoveryCodes);
}
