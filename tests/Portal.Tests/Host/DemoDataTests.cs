using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Portal.Tests.Infrastructure;
using Shouldly;
using Wolverine;

namespace Portal.Tests.Host;

/// <summary>
/// What a newcomer sees after `./portal run`: the portal seeds the demo practice through its own HTTP API on a real
/// port, into an empty database, and the sign-ins listed in the README work.
/// </summary>
public sealed class DemoDataTests : IAsyncLifetime
{
    private const string Password = "Demo-Portal-Password-2026";
    private const string SupportKey = "PORTALDEMOSUPPORTKEYPORTALDEMO23";
    private readonly MailCapture _mail = new();
    private PortalWebHost _host = null!;
    private Uri _address = null!;

    public async Task InitializeAsync()
    {
        var database = await ScratchDatabase.CreateFreshAsync("portal_demo");
        _mail.Start();
        _host = new PortalWebHost(database.ConnectionString, _mail, new Dictionary<string, string>
        {
            ["Portal:DemoData"] = "true",
            ["Portal:Support:Email"] = "support@demo.portal",
            ["Portal:Support:Password"] = Password,
            ["Portal:Support:AuthenticatorKey"] = SupportKey,
        });
        _address = _host.Start();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _mail.DisposeAsync();
    }

    [Fact]
    public async Task The_demo_practice_is_seeded_with_clients_at_different_stages_and_the_readme_sign_ins_work()
    {
        // Sign-ins are only tried once the seeder is past the step that makes them work: failed attempts lock accounts.
        await EventuallyAsync(() => Task.FromResult(_mail.To("jordan.patel@demo.portal").Count > 0),
            "the invited demo client's email is in the mailbox");

        // The seeder's last step removes the authenticator it set up for the provider (the provider is emailed).
        await EventuallyAsync(() => Task.FromResult(_mail.To("morgan.lee@demo.portal").Count > 0),
            "the demo provider's seeding authenticator was removed");

        // The demo provider signs in with the password and is asked to set up a second factor first.
        using var provider = Client();
        var signIn = await SignInAsync(provider, "morgan.lee@demo.portal");
        signIn.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await signIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secondFactorRequired").GetBoolean().ShouldBeTrue();
        (await provider.GetAsync("/api/console/clients")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var setup = await (await provider.PostAsync("/api/account/authenticator", null)).Content.ReadFromJsonAsync<JsonElement>();
        (await provider.PostAsJsonAsync("/api/account/authenticator/confirm",
            new { code = SecondFactors.CodeAt(setup.GetProperty("secret").GetString()!, DateTimeOffset.UtcNow) })).EnsureSuccessStatusCode();
        await EventuallyAsync(async () =>
        {
            var roster = await provider.GetFromJsonAsync<JsonElement>("/api/console/clients");
            return roster.EnumerateArray().Any(c => c.GetProperty("firstName").GetString() == "Riley"
                                                    && c.GetProperty("hasActiveAccount").GetBoolean());
        }, "the active demo client has activated her account");
        var clients = await provider.GetFromJsonAsync<JsonElement>("/api/console/clients");
        clients.EnumerateArray().Select(c => c.GetProperty("firstName").GetString()).Order()
            .ShouldBe(["Avery", "Jordan", "Riley"]);

        using var riley = Client();
        (await SignInAsync(riley, "riley.santos@demo.portal")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await EventuallyAsync(async () =>
        {
            var tasks = await riley.GetFromJsonAsync<JsonElement>("/api/my/tasks");
            return tasks.GetProperty("open").EnumerateArray().Any(t => t.GetProperty("title").GetString() == "Add your insurance");
        }, "the active demo client has the intake workflow's first tasks");

        // Support signs in with a code from the demo key the README gives (the seeder may have used this step's code).
        using var support = Client();
        var now = DateTimeOffset.UtcNow;
        var supportSignIn = await support.PostAsJsonAsync("/api/account/sign-in",
            new { email = "support@demo.portal", password = Password, code = SecondFactors.CodeAt(SupportKey, now) });
        if (supportSignIn.StatusCode == HttpStatusCode.Unauthorized)
            supportSignIn = await support.PostAsJsonAsync("/api/account/sign-in",
                new { email = "support@demo.portal", password = Password, code = SecondFactors.CodeAt(SupportKey, now.AddSeconds(30)) });
        supportSignIn.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await support.GetAsync($"/api/console/clients/{clients.EnumerateArray().First().GetProperty("clientId").GetGuid()}"))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private HttpClient Client() =>
        new(new HttpClientHandler { UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = _address };

    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string email) =>
        client.PostAsJsonAsync("/api/account/sign-in", new { email, password = Password });

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(90)) throw new ShouldAssertException($"Expected {what} within 90 s.");
            await Task.Delay(250);
        }
    }
}
