using System.Net;
using Alba;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Portal.Contracts;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Localization;

/// <summary>
/// A client's language: the practice sets it when adding the client, the client changes it, every module's copy and
/// every page and email follow it; signed-out pages follow the browser or the switch; staff pages stay English.
/// </summary>
public sealed class ClientLanguageTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task Adding_a_client_in_a_language_the_portal_does_not_offer_is_refused_naming_the_field()
    {
        var provider = await Host.NewProviderAsync();
        var refused = await Host.Scenario(s =>
        {
            s.As(provider);
            s.Post.Json(new { firstName = "Ana", lastName = "Ruiz", email = "ana@portal.test", dateOfBirth = new DateOnly(1990, 1, 2), language = "fr" })
                .ToUrl("/api/console/clients");
            s.StatusCodeShouldBe(400);
        });
        (await refused.ReadAsTextAsync()).ShouldContain("\"language\"");
    }

    [Fact]
    public async Task A_client_added_in_Spanish_reads_the_invitation_and_the_portal_in_Spanish()
    {
        var provider = await Host.NewProviderAsync();
        var (tracked, result) = await TrackedScenario(s =>
        {
            s.As(provider);
            s.Post.Json(new { firstName = "Ana", lastName = "Ruiz", email = "ana.ruiz@portal.test", dateOfBirth = new DateOnly(1990, 1, 2), language = "es" })
                .ToUrl("/api/console/clients");
            s.StatusCodeShouldBe(201);
        });
        var roster = tracked.Published<ClientRosterChanged>().Last();
        roster.Language.ShouldBe("es");
        var clientId = roster.ClientId;
        await using (var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession())
            (await session.LoadAsync<Portal.Forms.Roster.FormsClient>(clientId))!.Language.ShouldBe("es");

        Mail.Clear();
        var token = await Host.SendInvitationAsync(provider, clientId);
        var invitation = (await Mail.WaitForAsync()).Single(m => m.To.Mailboxes.Any(b => b.Address == "ana.ruiz@portal.test"));
        invitation.Subject!.ShouldContain("le invitó a su portal de clientes");
        invitation.TextBody!.ShouldContain("Active su cuenta:");
        // The expiry date is written the Spanish way ("4 mar 2026"), not "Mar 4, 2026".
        invitation.TextBody!.ShouldMatch(@"vence el \d{1,2} [a-z]{3,4}\.? \d{4}");

        await Host.Scenario(s =>
        {
            s.Post.Json(new { token, dateOfBirth = new DateOnly(1990, 1, 2), password = Actors.DefaultPassword }).ToUrl("/api/account/activate");
            s.StatusCodeShouldBeOk();
        });
        var (cookie, _) = await Host.SignInAsync("ana.ruiz@portal.test", Actors.DefaultPassword);
        var home = await Host.Scenario(s =>
        {
            s.WithRequestHeader("Cookie", cookie);
            // The client's own language wins over the browser's.
            s.WithRequestHeader("Accept-Language", "en-US");
            s.Get.Url("/portal");
            s.StatusCodeShouldBeOk();
        });
        var html = WebUtility.HtmlDecode(await home.ReadAsTextAsync());
        html.ShouldContain("<html lang=\"es\">");
        html.ShouldContain("Le damos la bienvenida, Ana Ruiz");
    }

    [Fact]
    public async Task A_client_who_chooses_Spanish_reads_the_next_page_and_the_next_email_in_Spanish()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider, "Lucía", "Ramírez");
        (await Page(client, "/portal/account")).ShouldContain("Your account");

        var (tracked, _) = await TrackedScenario(s =>
        {
            s.As(client);
            s.Put.Json(new { language = "es" }).ToUrl("/api/portal/language");
            s.StatusCodeShouldBeOk();
        });
        tracked.Published<ClientRosterChanged>().Single().Language.ShouldBe("es");
        (await Page(client, "/portal/account")).ShouldContain("Su cuenta");

        Mail.Clear();
        await Publish(new TaskReminderDue(Guid.NewGuid(), Guid.NewGuid(), client.ClientId, "Sign the policies", 1,
            new DateTimeOffset(2026, 3, 5, 2, 30, 0, TimeSpan.Zero), TaskKind.SignDocument));
        var reminder = (await Mail.WaitForAsync()).Single();
        reminder.Subject!.ShouldBe($"Recordatorio de {provider.PracticeName}: una tarea le espera");
        reminder.TextBody!.ShouldContain("firmar un documento");
        reminder.TextBody!.ShouldContain("Vence el 4 mar 2026");
    }

    [Fact]
    public async Task A_language_the_portal_does_not_offer_is_refused_and_a_contact_cannot_choose_for_the_client()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        var refused = await Host.Scenario(s =>
        {
            s.As(client);
            s.Put.Json(new { language = "klingon" }).ToUrl("/api/portal/language");
            s.StatusCodeShouldBe(400);
        });
        (await refused.ReadAsTextAsync()).ShouldContain("\"language\"");
        // Staff cannot use the client's own endpoint: it is the client's choice there.
        await Host.Scenario(s =>
        {
            s.As(provider);
            s.Put.Json(new { language = "es" }).ToUrl("/api/portal/language");
            s.StatusCodeShouldBe(403);
        });
    }

    [Fact]
    public async Task A_signed_out_page_follows_the_browser_until_the_visitor_switches_and_staff_pages_stay_English()
    {
        var spanish = await Host.Scenario(s =>
        {
            s.Get.Url("/signin");
            s.WithRequestHeader("Accept-Language", "es-MX,es;q=0.9");
            s.StatusCodeShouldBeOk();
        });
        var html = WebUtility.HtmlDecode(await spanish.ReadAsTextAsync());
        html.ShouldContain("<h1>Iniciar sesión</h1>");
        html.ShouldContain("href=\"/language?set=en&returnUrl=%2Fsignin\"");

        var switched = await Host.Scenario(s =>
        {
            s.Get.Url("/language?set=en&returnUrl=%2Fsignin");
            s.StatusCodeShouldBe(302);
        });
        switched.Context.Response.Headers.Location.ToString().ShouldBe("/signin");
        var cookie = switched.Context.Response.Headers.SetCookie.ToString().Split(';')[0];
        var english = await Host.Scenario(s =>
        {
            s.Get.Url("/signin");
            s.WithRequestHeader("Accept-Language", "es-MX,es;q=0.9");
            s.WithRequestHeader("Cookie", cookie);
            s.StatusCodeShouldBeOk();
        });
        (await english.ReadAsTextAsync()).ShouldContain("<h1>Sign in</h1>");

        await Host.Scenario(s =>
        {
            s.Get.Url("/language?set=xx&returnUrl=%2Fsignin");
            s.StatusCodeShouldBe(400);
        });
        // Away from the portal, the switch goes back to sign-in.
        var away = await Host.Scenario(s =>
        {
            s.Get.Url("/language?set=es&returnUrl=https%3A%2F%2Fevil.example");
            s.StatusCodeShouldBe(302);
        });
        away.Context.Response.Headers.Location.ToString().ShouldBe("/signin");

        var provider = await Host.NewProviderAsync();
        var console = await Host.Scenario(s =>
        {
            s.As(provider);
            s.WithRequestHeader("Accept-Language", "es");
            s.Get.Url("/console");
            s.StatusCodeShouldBeOk();
        });
        (await console.ReadAsTextAsync()).ShouldNotContain("lang=\"es\"");
    }

    [Fact]
    public async Task A_PHQ_9_answered_in_Spanish_scores_as_in_English_and_the_provider_sees_the_language()
    {
        var provider = await Host.NewProviderAsync();
        var english = await Host.NewClientWithAccountAsync(provider, "Eve", "English");
        var spanish = await Host.NewClientWithAccountAsync(provider, "Sol", "Spanish");
        await TrackedScenario(s =>
        {
            s.As(spanish);
            s.Put.Json(new { language = "es" }).ToUrl("/api/portal/language");
            s.StatusCodeShouldBeOk();
        });
        var form = await Page(spanish, "/portal/assessments/phq9");
        // The publisher's Spanish wording (Pfizer's PHQ-9 for the USA), and its answer scale.
        form.ShouldContain("Poco interés o placer en hacer cosas");
        form.ShouldContain("Más de la mitad de los días");
        form.ShouldNotContain("Little interest or pleasure");

        int[] answers = [1, 2, 0, 3, 1, 0, 2, 1, 0];
        foreach (var client in new[] { english, spanish })
        {
            await TrackedScenario(s =>
            {
                s.As(client);
                s.Post.Json(new { answers }).ToUrl("/api/portal/assessments/phq9");
                s.StatusCodeShouldBe(201);
            });
        }

        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var results = await session.Query<Portal.Forms.Assessments.AssessmentResult>().ToListAsync();
        var inEnglish = results.Single(r => r.ClientId == english.ClientId);
        var inSpanish = results.Single(r => r.ClientId == spanish.ClientId);
        inSpanish.Score.ShouldBe(inEnglish.Score);
        inSpanish.Severity.ShouldBe(inEnglish.Severity);
        inEnglish.Language.ShouldBe("en");
        inSpanish.Language.ShouldBe("es");

        var profile = await Host.Scenario(s =>
        {
            s.As(provider);
            s.Get.Url($"/console/clients/{spanish.ClientId}");
            s.StatusCodeShouldBeOk();
        });
        (await profile.ReadAsTextAsync()).ShouldContain("<td data-answered-in>Spanish</td>");
    }

    /// <summary>The page's HTML with its character references decoded ("interés", not "inter&amp;#xE9;s").</summary>
    private async Task<string> Page(ISignedIn actor, string url) => WebUtility.HtmlDecode(await (await Host.Scenario(s =>
    {
        s.As(actor);
        s.Get.Url(url);
        s.StatusCodeShouldBeOk();
    })).ReadAsTextAsync());
}
