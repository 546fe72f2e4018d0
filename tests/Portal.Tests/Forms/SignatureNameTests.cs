using System.Text.Json;
using Alba;
using Marten;
using Portal.Forms.Documents;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Forms;

/// <summary>
/// A typed signature is compared with the client's legal name: the same name typed differently (case, spacing,
/// punctuation, accents) signs at once; another name is signed only once the client confirms it, and the provider
/// sees that it was signed as a different name.
/// </summary>
public sealed class SignatureNameTests(PortalFixture fixture) : FormsTest(fixture)
{
    private sealed record Saved(Guid DocumentId, int Revision);
    private sealed record Shown(Guid DocumentId, int Version, string ContentHash);
    private sealed record Signed(Guid SignatureId);

    private async Task<(ProviderActor Provider, ClientActor Client, Shown Shown)> PolicyToSignAsync()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider, "Zoë", "O'Brien-Núñez");
        var saved = await Json<Saved>(provider, HttpMethod.Post, "/api/documents",
            new { title = "Privacy policy", markdown = "We keep your records private." }, 201);
        await Tracked(provider, HttpMethod.Post, $"/api/documents/{saved.DocumentId}/publish",
            new { revision = saved.Revision, requireExistingSignersToSignAgain = false }, 200);
        var shown = await Json<Shown>(client, HttpMethod.Get, $"/api/portal/documents/{saved.DocumentId}", null, 200);
        return (provider, client, shown);
    }

    private static object Signing(Shown shown, string name, bool? signAsTypedName = null) => signAsTypedName is { } confirm
        ? new { version = shown.Version, contentHash = shown.ContentHash, fullName = name, agreeToSignElectronically = true, signAsTypedName = confirm }
        : new { version = shown.Version, contentHash = shown.ContentHash, fullName = name, agreeToSignElectronically = true };

    [Theory]
    [InlineData("zoe obrien nunez")]
    [InlineData("  ZOË   O’Brien Núñez ")]
    [InlineData("O'Brien-Nunez, Zoe")]
    public async Task The_legal_name_typed_with_other_case_spacing_punctuation_or_accents_signs_without_a_question(string typed)
    {
        var (_, client, shown) = await PolicyToSignAsync();

        await Tracked(client, HttpMethod.Post, $"/api/portal/documents/{shown.DocumentId}/signatures", Signing(shown, typed), 201);

        await using var session = OpenSession();
        var record = (await session.Events.QueryRawEventDataOnly<DocumentSigned>().ToListAsync()).ShouldHaveSingleItem();
        record.SignedName.ShouldBe(typed.Trim());
        record.LegalName.ShouldBe("Zoë O'Brien-Núñez");
        record.SignedAsDifferentName.ShouldBeFalse();
    }

    [Fact]
    public async Task Another_name_is_refused_naming_the_field_until_the_client_confirms_and_the_provider_sees_the_flag()
    {
        var (provider, client, shown) = await PolicyToSignAsync();
        var url = $"/api/portal/documents/{shown.DocumentId}/signatures";

        var refused = await Send(client, HttpMethod.Post, url, Signing(shown, "Zoe Smith"), 409);
        var problem = JsonDocument.Parse(await refused.ReadAsTextAsync()).RootElement;
        problem.GetProperty("errors").GetProperty("fullName")[0].GetString()
            .ShouldBe("The name you typed, Zoe Smith, is not the name we have for you, Zoë O'Brien-Núñez. Sign as Zoe Smith anyway?");
        problem.GetProperty("code").GetString().ShouldBe("signature-name-differs");
        await Send(client, HttpMethod.Post, url, Signing(shown, "Zoe Smith", signAsTypedName: false), 409);
        await using (var session = OpenSession())
            (await session.Events.QueryRawEventDataOnly<DocumentSigned>().CountAsync()).ShouldBe(0);

        var (_, confirmed) = await Tracked(client, HttpMethod.Post, url, Signing(shown, "Zoe Smith", signAsTypedName: true), 201);
        var signed = (await confirmed.ReadAsJsonAsync<Signed>())!;

        // The provider's JSON and pages say it plainly.
        var copy = JsonDocument.Parse(await (await Send(provider, HttpMethod.Get, $"/api/signatures/{signed.SignatureId}", null, 200))
            .ReadAsTextAsync()).RootElement.GetProperty("signature");
        copy.GetProperty("signedName").GetString().ShouldBe("Zoe Smith");
        copy.GetProperty("legalName").GetString().ShouldBe("Zoë O'Brien-Núñez");
        copy.GetProperty("signedAsDifferentName").GetBoolean().ShouldBeTrue();
        var list = JsonDocument.Parse(await (await Send(provider, HttpMethod.Get, $"/api/clients/{client.ClientId}/signatures", null, 200))
            .ReadAsTextAsync()).RootElement;
        list[0].GetProperty("signedAsDifferentName").GetBoolean().ShouldBeTrue();

        var page = await Send(provider, HttpMethod.Get, $"/console/signatures/{signed.SignatureId}", null, 200);
        var text = System.Net.WebUtility.HtmlDecode(await page.ReadAsTextAsync());
        text.ShouldContain("Signed as a different name.");
        text.ShouldContain("The name typed, Zoe Smith, is not the legal name on file, Zoë O'Brien-Núñez");
        var profile = await Send(provider, HttpMethod.Get, $"/console/clients/{client.ClientId}", null, 200);
        (await profile.ReadAsTextAsync()).ShouldContain("signed as a different name");
    }

    [Fact]
    public async Task The_legal_name_signs_without_the_flag_on_the_provider_s_copy()
    {
        var (provider, client, shown) = await PolicyToSignAsync();
        var (_, result) = await Tracked(client, HttpMethod.Post, $"/api/portal/documents/{shown.DocumentId}/signatures",
            Signing(shown, "Zoë O'Brien-Núñez"), 201);
        var signed = (await result.ReadAsJsonAsync<Signed>())!;

        var html = await (await Send(provider, HttpMethod.Get, $"/console/signatures/{signed.SignatureId}", null, 200)).ReadAsTextAsync();
        html.ShouldNotContain("Signed as a different name");
    }
}
