using System.Text.Json;
using Alba;
using Portal.Tests.Infrastructure;
using Portal.Tests.Invitations;

namespace Portal.Tests.Localization;

/// <summary>
/// What the passkey endpoints refuse, which passkeys.js shows as it comes: in a Spanish client's language, in a
/// signed-out visitor's, and in English for staff (whose pages are English) whatever their browser asks for.
/// </summary>
public sealed partial class SpanishGuardTests
{
    [Fact]
    public async Task A_Spanish_client_reads_the_passkey_refusals_in_Spanish()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider, "Lucía", "Ramírez");
        await ChooseLanguageAsync(client, "es");
        using var authenticator = new SoftwareAuthenticator();
        using var stranger = new SoftwareAuthenticator();

        (await RefusalAsync(client.Cookie, "/api/account/step-up/passkey/options", new { }, 409)).Title
            .ShouldBe("Aún no tiene una llave de acceso. Agregue una primero o use su aplicación de autenticación.");
        (await RefusalAsync(client.Cookie, $"/api/account/passkeys/{authenticator.Id}", null, 404, HttpMethod.Delete)).Title
            .ShouldBe("No existe esa llave de acceso.");

        var registration = await PasskeyJsonAsync(client.Cookie, "/api/account/passkeys/options", 200);
        var register = new
        {
            ceremonyId = registration.GetProperty("ceremonyId").GetGuid(), name = "Teléfono",
            credential = authenticator.Attest(registration.GetProperty("options")),
        };
        await PasskeyJsonAsync(client.Cookie, "/api/account/passkeys", 201, register);
        var replayed = await RefusalAsync(client.Cookie, "/api/account/passkeys", register, 400);
        replayed.Title.ShouldBe("La solicitud tiene campos no válidos.");
        replayed.Errors["ceremonyId"].ShouldBe(["Esta solicitud de llave de acceso venció o ya se usó. Intente de nuevo."]);

        // Someone else's key cannot prove it is her; a second passkey asks her to prove her factor first.
        var stepUp = await PasskeyJsonAsync(client.Cookie, "/api/account/step-up/passkey/options", 200);
        (await RefusalAsync(client.Cookie, "/api/account/step-up/passkey", new
        {
            ceremonyId = stepUp.GetProperty("ceremonyId").GetGuid(), credential = stranger.Assert(stepUp.GetProperty("options")),
        }, 401)).Title.ShouldBe("Esa llave de acceso no pudo confirmar que es usted. Intente de nuevo.");
        var second = await PasskeyJsonAsync(client.Cookie, "/api/account/passkeys/options", 200);
        var fresh = await RefusalAsync(client.Cookie, "/api/account/passkeys", new
        {
            ceremonyId = second.GetProperty("ceremonyId").GetGuid(), name = "Portátil",
            credential = stranger.Attest(second.GetProperty("options")),
        }, 403);
        fresh.Title.ShouldStartWith("Confirme que es usted");
        fresh.Body.GetProperty("stepUpRequired").GetBoolean().ShouldBeTrue();
        (await RefusalAsync(client.Cookie, "/api/account/passkeys", new { ceremonyId = Guid.NewGuid(), credential = "nope" }, 400))
            .Errors["credential"].ShouldBe(["Falta la credencial de la llave de acceso."]);
    }

    [Fact]
    public async Task A_passkey_sign_in_refusal_follows_the_visitor_s_language()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider, "Lucía", "Ramírez");
        using var authenticator = new SoftwareAuthenticator();
        var registration = await PasskeyJsonAsync(client.Cookie, "/api/account/passkeys/options", 200);
        await PasskeyJsonAsync(client.Cookie, "/api/account/passkeys", 201, new
        {
            ceremonyId = registration.GetProperty("ceremonyId").GetGuid(), name = "Teléfono",
            credential = authenticator.Attest(registration.GetProperty("options")),
        });

        async Task<string> SignInRefusedAsync(string acceptLanguage)
        {
            var ceremony = await PasskeyJsonAsync(null, "/api/account/sign-in/passkey/options", 200);
            // An answer made for a look-alike site: refused, whichever language says so.
            return (await RefusalAsync(null, "/api/account/sign-in/passkey", new
            {
                ceremonyId = ceremony.GetProperty("ceremonyId").GetGuid(),
                credential = authenticator.Assert(ceremony.GetProperty("options"), origin: "https://portal-login.example"),
            }, 401, acceptLanguage: acceptLanguage)).Title;
        }

        (await SignInRefusedAsync("es-MX,es;q=0.9")).ShouldBe(
            "Esa llave de acceso no inició su sesión. Intente de nuevo o inicie sesión con su correo electrónico y su contraseña.");
        (await SignInRefusedAsync("en-US")).ShouldBe(
            "That passkey didn't sign you in. Try again, or sign in with your email and password.");
    }

    [Fact]
    public async Task Staff_read_the_passkey_refusals_in_English_whatever_their_browser_asks_for()
    {
        var provider = await Host.NewProviderAsync();
        using var authenticator = new SoftwareAuthenticator();

        (await RefusalAsync(provider.Cookie, $"/api/account/passkeys/{authenticator.Id}", null, 404, HttpMethod.Delete, "es"))
            .Title.ShouldBe("No such passkey.");
        (await RefusalAsync(provider.Cookie, "/api/account/passkeys", new { ceremonyId = Guid.NewGuid(), credential = "nope" }, 400,
            acceptLanguage: "es")).Errors["credential"].ShouldBe(["The passkey's credential is missing."]);
    }

    private sealed record PasskeyRefusal(string Title, Dictionary<string, string[]> Errors, JsonElement Body);

    private async Task<PasskeyRefusal> RefusalAsync(string? cookie, string url, object? body, int status, HttpMethod? method = null,
        string? acceptLanguage = null)
    {
        var result = await Host.Scenario(s =>
        {
            if (cookie is not null) s.WithRequestHeader("Cookie", cookie);
            if (acceptLanguage is not null) s.WithRequestHeader("Accept-Language", acceptLanguage);
            if (method == HttpMethod.Delete) s.Delete.Url(url);
            else s.Post.Json(body ?? new { }).ToUrl(url);
            s.StatusCodeShouldBe(status);
        });
        var json = await result.ReadAsJsonAsync<JsonElement>();
        var errors = json.TryGetProperty("errors", out var found)
            ? found.EnumerateObject().ToDictionary(e => e.Name, e => e.Value.EnumerateArray().Select(m => m.GetString()!).ToArray())
            : [];
        return new PasskeyRefusal(json.GetProperty("title").GetString()!, errors, json);
    }

    private async Task<JsonElement> PasskeyJsonAsync(string? cookie, string url, int status, object? body = null)
    {
        var result = await Host.Scenario(s =>
        {
            if (cookie is not null) s.WithRequestHeader("Cookie", cookie);
            s.Post.Json(body ?? new { }).ToUrl(url);
            s.StatusCodeShouldBe(status);
        });
        return await result.ReadAsJsonAsync<JsonElement>();
    }
}
